package org.mecam.events;

import java.util.regex.Pattern;

/** Validates camera ids, which double as MQTT usernames and topic segments. */
public final class CameraIds {
  /** Lower-case letters, digits and dashes, 1–32 long; the {@code svc-} prefix is kept for services. */
  public static final Pattern PATTERN = Pattern.compile("[a-z0-9-]{1,32}");

  private CameraIds() {}

  /** Returns null when the id is valid, else the reason it is not. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "camera id is missing";
    }
    if (!PATTERN.matcher(id).matches()) {
      return "camera id '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "' must match [a-z0-9-]{1,32}";
    }
    if (id.startsWith("svc-")) {
      return "camera id '" + id + "' must not start with 'svc-' (reserved for services)";
    }
    return null;
  }

  public static boolean isValid(String id) {
    return problem(id) == null;
  }

  /** Throws {@link IllegalArgumentException} with the reason when the id is invalid. */
  public static String require(String id) {
    String p = problem(id);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
    return id;
  }
}
