package org.mecam.crypto;

import java.util.HexFormat;

/**
 * What one encryption produced: plaintext size and SHA-256 (for the uploader's report), the
 * ciphertext size (to verify the upload), and the compression and padding decisions.
 */
public record EncryptionResult(
    long plaintextSize,
    byte[] plaintextSha256,
    long ciphertextSize,
    boolean compressed,
    long paddingSize,
    long segments) {

  public String plaintextSha256Hex() {
    return HexFormat.of().formatHex(plaintextSha256);
  }
}
