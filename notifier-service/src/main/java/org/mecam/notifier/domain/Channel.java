package org.mecam.notifier.domain;

/** A way to reach a device. */
public enum Channel {
  WEBPUSH, FCM;

  public String wire() {
    return name().toLowerCase();
  }

  public static Channel of(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
