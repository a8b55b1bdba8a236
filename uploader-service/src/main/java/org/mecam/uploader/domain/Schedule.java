package org.mecam.uploader.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * When uploads of normal footage run: at once, at the top of each hour, once a day, or only when asked;
 * staging from the cameras and snapshots ignore the schedule and always go at once.
 */
public enum Schedule {
  IMMEDIATE, HOURLY, DAILY, MANUAL;

  public static Schedule parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedule must be immediate, hourly, daily or manual, not '" + s + "'");
    }
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The earliest time (epoch ms) an item recorded at {@code now} may be uploaded; {@link Long#MAX_VALUE}
   * means only when asked ({@code upload_now}).
   */
  public long eligibleAt(Instant now, ZoneId zone, LocalTime dailyAt) {
    return switch (this) {
      case IMMEDIATE -> now.toEpochMilli();
      case HOURLY -> now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS).toEpochMilli();
      case DAILY -> {
        ZonedDateTime z = now.atZone(zone);
        ZonedDateTime run = z.with(dailyAt).truncatedTo(ChronoUnit.MINUTES);
        if (!run.isAfter(z)) {
          run = run.plusDays(1);
        }
        yield run.toInstant().toEpochMilli();
      }
      case MANUAL -> Long.MAX_VALUE;
    };
  }
}
