package org.mecam.crypto;

import java.io.IOException;

/**
 * Reports why an encrypted file cannot be read, with a {@link Kind} a program can act on and a
 * message a person can act on.
 */
public class EncryptedFileException extends IOException {

  /** What is wrong with the file; the recovery CLI maps each kind to an exit code. */
  public enum Kind {
    /** The magic bytes are missing: this is not a mecam encrypted file at all. */
    NOT_MECAM_FILE,
    /** The magic matches but the version byte is one this code does not understand. */
    UNKNOWN_VERSION,
    /** The header is malformed (bad suite, flags or lengths) before any key is involved. */
    MALFORMED_HEADER,
    /** None of the recipient stanzas is addressed to the key we hold. */
    NOT_A_RECIPIENT,
    /** A stanza addressed to our key failed to open, or the header MAC failed. */
    HEADER_TAMPERED,
    /** A segment failed authentication (changed, swapped or duplicated). */
    TAMPERED,
    /** The file ends early: an authentic non-final segment is followed by nothing. */
    TRUNCATED,
    /** Bytes follow the authentic final segment. */
    APPENDED_DATA,
    /** The authenticated trailer is inconsistent (a writer bug or a malicious recipient). */
    CORRUPT_TRAILER,
    /**
     * Everything authenticated but the body breaks the format: an empty final segment, or a
     * compressed payload that is not exactly one zstd frame (a writer bug or a malicious writer).
     */
    MALFORMED_BODY,
    /** Everything authenticated but the plaintext SHA-256 or size differs from the trailer. */
    HASH_MISMATCH,
    /**
     * The header authenticated, but the file is bound (format version 2) to another camera or
     * media id than the reader expected: a swapped or planted file, not the clip it claims to be.
     */
    WRONG_BINDING,
    /**
     * The reader expected a bound file but this one carries no binding (format version 1), so it
     * cannot be proven to be the clip it claims to be.
     */
    UNBOUND
  }

  private final Kind kind;
  private final long segment;

  public EncryptedFileException(Kind kind, long segment, String message) {
    super(message);
    this.kind = kind;
    this.segment = segment;
  }

  public EncryptedFileException(Kind kind, String message) {
    this(kind, -1, message);
  }

  public Kind kind() {
    return kind;
  }

  /** The zero-based segment the problem was found in, or -1 when it is not about one segment. */
  public long segment() {
    return segment;
  }
}
