package org.mecam.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the small subset of Home Assistant's Jinja templates the agent's discovery uses, the way HA
 * would: {@code value}, {@code value_json.a.b}, string/number literals, {@code X if C else Y},
 * {@code A == B}, {@code now().timestamp()}, {@code utcnow().isoformat()}, {@code range(a, b)} and the
 * filters {@code int} and {@code random}; results printed as Python prints them (True/False/None,
 * 15.0). Anything else fails the test, so a template HA could not render is noticed.
 */
final class HaTemplate {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXPR = Pattern.compile("\\{\\{(.*?)}}");
  private static final Pattern COND = Pattern.compile("^(.+?) if (.+?) else (.+)$");

  private HaTemplate() {}

  /** Renders {@code template} with HA's {@code value} (the payload) and {@code value_json} (parsed, if JSON). */
  static String render(String template, String value) {
    JsonNode json = null;
    try {
      json = JSON.readTree(value);
    } catch (Exception notJson) {
      // value_json is then undefined, as in HA.
    }
    Matcher m = EXPR.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(print(eval(m.group(1).trim(), value, json))));
    }
    m.appendTail(out);
    if (out.indexOf("{{") >= 0 || out.indexOf("{%") >= 0) {
      throw new AssertionError("unsupported template syntax in " + template);
    }
    return out.toString();
  }

  private static Object eval(String expr, String value, JsonNode json) {
    Matcher c = COND.matcher(expr);
    if (c.matches()) {
      return truthy(eval(c.group(2).trim(), value, json)) ? eval(c.group(1).trim(), value, json)
          : eval(c.group(3).trim(), value, json);
    }
    int eq = expr.indexOf("==");
    if (eq > 0) {
      Object a = eval(expr.substring(0, eq).trim(), value, json);
      Object b = eval(expr.substring(eq + 2).trim(), value, json);
      return a != null && a.equals(b);
    }
    String[] parts = expr.split("\\|");
    Object v = term(parts[0].trim(), value, json);
    for (int i = 1; i < parts.length; i++) {
      String f = parts[i].trim();
      if (f.equals("int")) {
        v = (long) ((Number) v).doubleValue();
      } else if (f.equals("random")) {
        List<?> l = (List<?>) v;
        v = l.get(ThreadLocalRandom.current().nextInt(l.size()));
      } else {
        throw new AssertionError("unsupported filter " + f);
      }
    }
    return v;
  }

  private static Object term(String t, String value, JsonNode json) {
    if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
      return t.substring(1, t.length() - 1);
    }
    if (t.matches("-?\\d+")) {
      return Long.parseLong(t);
    }
    if (t.equals("value")) {
      return value;
    }
    if (t.equals("now().timestamp()")) {
      return System.currentTimeMillis() / 1000.0;
    }
    if (t.equals("utcnow().isoformat()")) {
      // Python's datetime.isoformat(): microseconds and "+00:00".
      return OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
          "yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx"));
    }
    Matcher r = Pattern.compile("range\\((\\d+),\\s*(\\d+)\\)").matcher(t);
    if (r.matches()) {
      List<Long> l = new ArrayList<>();
      for (long i = Long.parseLong(r.group(1)); i < Long.parseLong(r.group(2)); i += 997) {
        l.add(i);
      }
      return l;
    }
    if (t.startsWith("value_json.")) {
      if (json == null) {
        throw new AssertionError("value_json used on a payload that is not JSON");
      }
      JsonNode n = json;
      for (String p : t.substring("value_json.".length()).split("\\.")) {
        n = n == null ? null : n.get(p);
      }
      if (n == null || n.isNull()) {
        return null;
      }
      if (n.isBoolean()) {
        return n.booleanValue();
      }
      if (n.isIntegralNumber()) {
        return n.longValue();
      }
      if (n.isNumber()) {
        return n.doubleValue();
      }
      return n.asText();
    }
    throw new AssertionError("unsupported template term " + t);
  }

  private static boolean truthy(Object o) {
    if (o instanceof Boolean b) {
      return b;
    }
    if (o instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return o != null && !o.toString().isEmpty();
  }

  private static String print(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof Boolean b) {
      return b ? "True" : "False";
    }
    return o.toString();
  }
}
