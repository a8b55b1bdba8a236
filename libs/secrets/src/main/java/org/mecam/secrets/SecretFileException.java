package org.mecam.secrets;

/**
 * A secret file is missing, empty, unreadable or readable by someone it must not be. The message
 * names the file and, for permissions, the command that fixes it; it never contains the secret.
 */
public final class SecretFileException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public SecretFileException(String message) {
    super(message);
  }
}
