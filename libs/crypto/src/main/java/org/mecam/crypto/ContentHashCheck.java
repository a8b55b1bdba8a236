package org.mecam.crypto;

/**
 * Whether a full decryption recomputes the plaintext SHA-256 and compares it with the one the
 * trailer records. Every segment and the trailer are authenticated either way; see
 * docs/encryption-format.md §8 for what the hash adds on top of that.
 */
public enum ContentHashCheck {
  /** Recompute and compare (default for {@code decrypt} and {@code verify}). */
  CHECK,
  /**
   * Authenticate only: the plaintext is exactly what the encryptor sealed, but it is not compared
   * with the recorded SHA-256 (about 2× faster; for playback and bulk restores that are verified
   * separately).
   */
  SKIP
}
