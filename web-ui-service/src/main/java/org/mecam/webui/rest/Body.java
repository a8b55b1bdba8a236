package org.mecam.webui.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks JSON request bodies (already parsed to a map) field by field, with readable messages. */
final class Body {
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  private Body() {}

  static Map<String, Object> orEmpty(Map<String, Object> body) {
    return body == null ? Map.of() : body;
  }

  static String text(Map<String, Object> body, String field, int max, boolean required) {
    Object v = orEmpty(body).get(field);
    if (v == null) {
      if (required) {
        throw new BadInput("field '" + field + "' is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new BadInput("field '" + field + "' must be a string");
    }
    if (s.isBlank() && required) {
      throw new BadInput("field '" + field + "' must not be blank");
    }
    if (s.length() > max) {
      throw new BadInput("field '" + field + "' must be at most " + max + " characters");
    }
    return s;
  }

  static Boolean bool(Map<String, Object> body, String field, boolean required) {
    Object v = orEmpty(body).get(field);
    if (v == null) {
      if (required) {
        throw new BadInput("field '" + field + "' is required (true or false)");
      }
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw new BadInput("field '" + field + "' must be true or false");
    }
    return b;
  }

  static Integer integer(Map<String, Object> body, String field, int min, int max, boolean required) {
    Object v = orEmpty(body).get(field);
    if (v == null) {
      if (required) {
        throw new BadInput("field '" + field + "' is required");
      }
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw new BadInput("field '" + field + "' must be a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  static String url(Map<String, Object> body, String field) {
    String s = text(body, field, 2048, true);
    if (!s.startsWith("https://") && !s.startsWith("http://")) {
      throw new BadInput("field '" + field + "' must be an http(s) URL");
    }
    return s;
  }

  /** A flat settings object: simple keys, values that are strings, numbers, booleans or null. */
  static Map<String, Object> flat(Map<String, Object> body) {
    if (body == null || body.isEmpty()) {
      throw new BadInput("the body must be a JSON object with at least one setting");
    }
    if (body.size() > 100) {
      throw new BadInput("too many settings in one request (at most 100)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : body.entrySet()) {
      if (!KEY.matcher(e.getKey()).matches()) {
        throw new BadInput("setting name '" + clip(e.getKey()) + "' is not valid");
      }
      Object v = e.getValue();
      if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new BadInput("setting '" + e.getKey() + "' must be a string, number, boolean or null");
      }
      if (v instanceof String s && s.length() > 2000) {
        throw new BadInput("setting '" + e.getKey() + "' is too long");
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
