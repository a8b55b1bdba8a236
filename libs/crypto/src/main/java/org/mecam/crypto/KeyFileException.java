package org.mecam.crypto;

import java.io.IOException;

/** Reports an owner key file that cannot be used: unsafe permissions, bad format or passphrase. */
public class KeyFileException extends IOException {
  public KeyFileException(String message) {
    super(message);
  }
}
