package org.mecam.agent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written the way people write them in config files: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
public final class Durations {
  private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /** A bare number means seconds. */
  public static Duration parse(String text) {
    Matcher m = P.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 5s, 2m, 1h)");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double ms = switch (unit) {
      case "ms" -> v;
      case "s" -> v * 1_000;
      case "m" -> v * 60_000;
      default -> v * 3_600_000;
    };
    return Duration.ofMillis(Math.round(ms));
  }
}
