package org.mecam.agent.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A free-space threshold for the media disk, either absolute ({@code 500MB}, {@code 2GB}) or a share
 * of the disk ({@code 10%}).
 */
public record FreeSpaceLimit(long bytes, double percent) {
  private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%|b|kb|mb|gb|tb|k|m|g|t)?");

  /** Parses {@code 10%}, {@code 500MB}, {@code 2GB}; units are powers of 1024. */
  public static FreeSpaceLimit parse(String text) {
    Matcher m = P.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (examples: 10%, 500MB, 2GB)");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    if (unit.equals("%")) {
      if (v > 100) {
        throw new IllegalArgumentException("'" + text + "' is more than 100%");
      }
      return new FreeSpaceLimit(-1, v);
    }
    long mult = switch (unit) {
      case "k", "kb" -> 1L << 10;
      case "m", "mb" -> 1L << 20;
      case "g", "gb" -> 1L << 30;
      case "t", "tb" -> 1L << 40;
      default -> 1;
    };
    return new FreeSpaceLimit(Math.round(v * mult), -1);
  }

  /** The threshold in bytes on a disk of {@code totalBytes}. */
  public long bytesOf(long totalBytes) {
    return percent >= 0 ? Math.round(totalBytes * percent / 100.0) : bytes;
  }

  @Override
  public String toString() {
    return percent >= 0 ? percent + "%" : bytes + " bytes";
  }
}
