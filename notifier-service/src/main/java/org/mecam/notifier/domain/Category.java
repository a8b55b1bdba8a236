package org.mecam.notifier.domain;

/** What kind of notification it is; each maps to one user preference. */
public enum Category {
  MOTION, SECURITY, SYSTEM, SUMMARY, TEST;

  public String wire() {
    return name().toLowerCase();
  }

  public static Category of(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
