package org.mecam.webui.pages;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting helpers for templates: times as UTC text (pages turn them into local time in the browser). */
@TemplateExtension
public class TemplateFormats {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  static String utc(Instant instant) {
    return instant == null ? "—" : UTC.format(instant);
  }

  static String iso(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  static String percent(double score) {
    return Math.round(score * 100) + "%";
  }
}
