package org.mecam.notifier.domain;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** One user's notification preferences, quiet hours included. */
public record Preferences(
    String user,
    boolean motion,
    boolean security,
    boolean system,
    boolean dailySummary,
    boolean includeSnapshots,
    LocalTime quietStart,
    LocalTime quietEnd,
    ZoneId timezone) {

  /** What a user who never saved settings gets. */
  public static Preferences defaults(String user) {
    return new Preferences(user, true, true, true, false, true, null, null, ZoneId.of("UTC"));
  }

  /** Whether the user wants this category at all. */
  public boolean wants(Category category) {
    return switch (category) {
      case MOTION -> motion;
      case SECURITY -> security;
      case SYSTEM -> system;
      case SUMMARY -> dailySummary;
      case TEST -> true;
    };
  }

  /** True inside the quiet window (which may span midnight, e.g. 22:00–07:00). */
  public boolean isQuietAt(java.time.Instant instant) {
    if (quietStart == null || quietEnd == null || quietStart.equals(quietEnd)) {
      return false;
    }
    LocalTime t = ZonedDateTime.ofInstant(instant, timezone).toLocalTime();
    if (quietStart.isBefore(quietEnd)) {
      return !t.isBefore(quietStart) && t.isBefore(quietEnd);
    }
    return !t.isBefore(quietStart) || t.isBefore(quietEnd);
  }
}
