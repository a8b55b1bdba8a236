package org.mecam.crypto.internal;

import com.github.luben.zstd.Zstd;
import java.util.Locale;
import java.util.Set;
import org.mecam.crypto.Compression;

/**
 * Decides whether to compress: never for already-compressed media and archives, otherwise only
 * when zstd shrinks a sample of the first bytes to 90% or less.
 */
public final class CompressionPolicy {
  public static final int ZSTD_LEVEL = 3;
  public static final int SAMPLE_BYTES = 64 * 1024;

  private static final Set<String> INCOMPRESSIBLE_TYPES =
      Set.of(
          "application/zip", "application/gzip", "application/zstd", "application/x-xz",
          "application/x-7z-compressed", "application/x-bzip2", "application/pdf");

  private CompressionPolicy() {}

  public static boolean isMediaType(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
    return t.startsWith("video/")
        || t.startsWith("image/")
        || t.startsWith("audio/")
        || INCOMPRESSIBLE_TYPES.contains(t);
  }

  public static boolean shouldCompress(
      Compression mode, String contentType, byte[] sample, int sampleLength) {
    switch (mode) {
      case NONE:
        return false;
      case ZSTD:
        return true;
      default:
        break;
    }
    if (isMediaType(contentType) || sampleLength < 256) {
      // Tiny files gain nothing a zstd frame header would not eat.
      return false;
    }
    int n = Math.min(sampleLength, SAMPLE_BYTES);
    byte[] in = sample;
    if (sample.length != n) {
      in = java.util.Arrays.copyOf(sample, n);
    }
    long compressed = Zstd.compress(in, ZSTD_LEVEL).length;
    return compressed * 10 <= (long) n * 9;
  }
}
