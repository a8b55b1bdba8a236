package org.mecam.crypto;

import java.util.HexFormat;

/** What a fully authenticated decryption found: content type, size and SHA-256 of the plaintext. */
public record DecryptedFileSummary(
    String contentType,
    long plaintextSize,
    byte[] plaintextSha256,
    boolean compressed,
    long paddingSize,
    long segments) {

  public String plaintextSha256Hex() {
    return HexFormat.of().formatHex(plaintextSha256);
  }
}
