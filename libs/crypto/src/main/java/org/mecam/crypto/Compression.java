package org.mecam.crypto;

/** What the encryptor may do about compression; the decision taken is recorded in the header. */
public enum Compression {
  /** Compress only when the content type is not media and a zstd sample of the start shrinks. */
  AUTO,
  /** Never compress (the right choice for H.264/MP4 and JPEG, which shrink by about 0-1%). */
  NONE,
  /** Always compress with zstd. */
  ZSTD
}
