package org.mecam.agent.service;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;
import org.mecam.agent.mqtt.EventPublisher;
import org.mecam.events.Alert;

/**
 * Raises and clears the camera's health alerts (stream lost, reconnecting too long, disk nearly
 * full, clock off): each condition is announced once when it starts and once when it ends, never
 * on every check.
 */
public final class Alerts {
  private static final Logger LOG = Logger.getLogger(Alerts.class.getName());

  private final EventPublisher publisher;
  private final String camera;
  private final Map<Alert.Kind, String> active = new EnumMap<>(Alert.Kind.class);

  public Alerts(EventPublisher publisher, String camera) {
    this.publisher = publisher;
    this.camera = camera;
  }

  /** Raises {@code kind} unless it is already active. */
  public synchronized void raise(Alert.Kind kind, Alert.Severity severity, String message) {
    if (active.containsKey(kind)) {
      return;
    }
    active.put(kind, message);
    LOG.warning("camera " + camera + " alert " + kind + ": " + message);
    send(kind, severity, true, message);
  }

  /** Clears {@code kind} if it is active. */
  public synchronized void clear(Alert.Kind kind, String message) {
    if (active.remove(kind) == null) {
      return;
    }
    LOG.info("camera " + camera + " alert " + kind + " cleared: " + message);
    send(kind, Alert.Severity.INFO, false, message);
  }

  /** A one-off alert (e.g. media dropped) that has no "cleared" state. */
  public synchronized void announce(Alert.Kind kind, Alert.Severity severity, String message) {
    LOG.warning("camera " + camera + " alert " + kind + ": " + message);
    send(kind, severity, true, message);
  }

  public synchronized boolean isActive(Alert.Kind kind) {
    return active.containsKey(kind);
  }

  private void send(Alert.Kind kind, Alert.Severity severity, boolean on, String message) {
    try {
      publisher.alert(kind, severity, on, message);
    } catch (IOException e) {
      LOG.severe("cannot queue alert " + kind + ": " + e.getMessage());
    }
  }
}
