package org.mecam.crypto;

/** Thrown when a passphrase does not open an owner key file (or the file was altered). */
public class WrongPassphraseException extends KeyFileException {
  public WrongPassphraseException(String message) {
    super(message);
  }
}
