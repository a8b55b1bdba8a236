package org.mecam.crypto;

/** The AEAD used for the file body, recorded as one byte in the header. */
public enum Suite {
  /** Default: several GB/s per core wherever the CPU has AES instructions. */
  AES_256_GCM(1, "AES/GCM/NoPadding", "AES"),
  /** For hosts without AES instructions (every 64-bit Raspberry Pi before the Pi 5). */
  CHACHA20_POLY1305(2, "ChaCha20-Poly1305", "ChaCha20");

  private final int id;
  private final String transformation;
  private final String keyAlgorithm;

  Suite(int id, String transformation, String keyAlgorithm) {
    this.id = id;
    this.transformation = transformation;
    this.keyAlgorithm = keyAlgorithm;
  }

  public int id() {
    return id;
  }

  public String transformation() {
    return transformation;
  }

  public String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** Returns the suite for a header byte, or null when the byte names no known suite. */
  public static Suite byId(int id) {
    for (Suite s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    return null;
  }
}
