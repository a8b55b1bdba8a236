package org.mecam.crypto;

import java.util.HexFormat;

/**
 * What one encryption produced: plaintext size and SHA-256 (for the uploader's report), the
 * ciphertext size (to verify the upload), the compression and padding decisions, and the binding
 * sealed into the header (null for an unbound, format version 1 file).
 */
public record EncryptionResult(
    long plaintextSize,
    byte[] plaintextSha256,
    long ciphertextSize,
    boolean compressed,
    long paddingSize,
    long segments,
    FileBinding binding) {

  public String plaintextSha256Hex() {
    return HexFormat.of().formatHex(plaintextSha256);
  }
}
