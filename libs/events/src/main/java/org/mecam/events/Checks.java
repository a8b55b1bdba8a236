package org.mecam.events;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the reasons a payload is invalid, so a dead letter can say exactly what was wrong. */
public final class Checks {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private final List<String> problems = new ArrayList<>();

  public Checks check(boolean ok, String reason) {
    if (!ok) {
      problems.add(reason);
    }
    return this;
  }

  public Checks id(String field, String value) {
    return check(value != null && ID.matcher(value).matches(),
        "field '" + field + "' must be 1-64 characters of [A-Za-z0-9._:-]");
  }

  public Checks optionalId(String field, String value) {
    return value == null ? this : id(field, value);
  }

  public Checks camera(String field, String value) {
    String p = CameraIds.problem(value);
    return check(p == null, "field '" + field + "': " + p);
  }

  public Checks sha256(String field, String value) {
    return check(value != null && SHA256.matcher(value).matches(),
        "field '" + field + "' must be 64 lower-case hex digits");
  }

  public Checks text(String field, String value, int max) {
    return check(value != null && !value.isBlank() && value.length() <= max,
        "field '" + field + "' must be non-blank text of at most " + max + " characters");
  }

  public Checks optionalText(String field, String value, int max) {
    return check(value == null || value.length() <= max,
        "field '" + field + "' must be at most " + max + " characters");
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Throws when a problem was found, naming all of them. */
  public void throwIfInvalid() throws InvalidPayloadException {
    if (!problems.isEmpty()) {
      throw new InvalidPayloadException(String.join("; ", problems));
    }
  }
}
