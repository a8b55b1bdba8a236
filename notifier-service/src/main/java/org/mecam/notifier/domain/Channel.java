package org.mecam.notifier.domain;

/** A way to reach a device: a browser (Web Push), a phone (FCM) or a user's webhook URL. */
public enum Channel {
  WEBPUSH, FCM, WEBHOOK;

  public String wire() {
    return name().toLowerCase();
  }

  public static Channel of(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
