package org.mecam.recovery;

import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.KeyFileException;
import org.mecam.crypto.WrongPassphraseException;

/** The documented exit codes of {@code mecam-recover}, and which failure maps to which. */
public final class ExitCodes {
  public static final int OK = 0;
  /** An I/O error or anything not listed below. */
  public static final int FAILURE = 1;
  /** Bad command line (picocli's own code). */
  public static final int USAGE = 2;
  public static final int WRONG_PASSPHRASE = 3;
  /** The key file or recovery code is unusable: permissions, format, checksum. */
  public static final int KEY_UNUSABLE = 4;
  /** The file is not encrypted for this key. */
  public static final int NOT_A_RECIPIENT = 5;
  /** Authentication failed: tampered, truncated, appended data, header tampered, hash mismatch. */
  public static final int AUTHENTICATION_FAILED = 6;
  /** Not a mecam file, unknown version, malformed header or body. */
  public static final int NOT_READABLE = 7;
  /** Authentic, but bound to another camera or media id than expected, or not bound at all. */
  public static final int WRONG_BINDING = 8;

  private ExitCodes() {}

  static int of(Throwable e) {
    if (e instanceof WrongPassphraseException) {
      return WRONG_PASSPHRASE;
    }
    if (e instanceof KeyFileException || e instanceof IllegalArgumentException) {
      return KEY_UNUSABLE;
    }
    if (e instanceof EncryptedFileException f) {
      switch (f.kind()) {
        case NOT_A_RECIPIENT:
          return NOT_A_RECIPIENT;
        case NOT_MECAM_FILE:
        case UNKNOWN_VERSION:
        case MALFORMED_HEADER:
        case MALFORMED_BODY:
          return NOT_READABLE;
        case WRONG_BINDING:
        case UNBOUND:
          return WRONG_BINDING;
        default:
          return AUTHENTICATION_FAILED;
      }
    }
    return FAILURE;
  }
}
