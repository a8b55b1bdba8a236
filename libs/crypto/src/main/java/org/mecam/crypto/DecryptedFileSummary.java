package org.mecam.crypto;

import java.util.HexFormat;

/**
 * What a fully authenticated decryption found: content type, size and SHA-256 of the plaintext;
 * {@code sha256Checked} says whether that SHA-256 was recomputed from the plaintext and matched
 * ({@link ContentHashCheck#CHECK}) or is the authenticated value the trailer records ({@code SKIP});
 * {@code binding} is the authenticated camera and media id (format version 2), null in version 1.
 */
public record DecryptedFileSummary(
    String contentType,
    long plaintextSize,
    byte[] plaintextSha256,
    boolean compressed,
    long paddingSize,
    long segments,
    boolean sha256Checked,
    int formatVersion,
    FileBinding binding) {

  public String plaintextSha256Hex() {
    return HexFormat.of().formatHex(plaintextSha256);
  }
}
