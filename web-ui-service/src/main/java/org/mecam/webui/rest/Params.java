package org.mecam.webui.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.mecam.events.CameraIds;

/** Parses query parameters with messages that say what was wrong. */
final class Params {
  private Params() {}

  static String camera(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String problem = CameraIds.problem(value);
    if (problem != null) {
      throw new BadInput("camera: " + problem);
    }
    return value;
  }

  /** An ISO-8601 instant ({@code 2026-01-31T12:00:00Z}) or a date ({@code 2026-01-31}, UTC midnight). */
  static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new BadInput(name + " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or a date (2026-01-31)");
      }
    }
  }

  static int integer(String name, String value, int dflt, int min, int max) {
    if (value == null || value.isBlank()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min || v > max) {
        throw new BadInput(name + " must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadInput(name + " must be a whole number");
    }
  }

  static String id(String name, String value) {
    if (value == null || !value.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new BadInput(name + " must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    return value;
  }
}
