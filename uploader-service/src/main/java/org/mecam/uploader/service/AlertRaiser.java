package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mecam.events.Alert;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * Raises and clears the uploader's system alerts on {@code mecam/v1/alerts}; a condition already raised
 * is not raised again until it was cleared, so the owner gets one alert per problem, not one per item.
 */
@ApplicationScoped
public class AlertRaiser {
  private final UploaderStore store;
  private final OutboxPublisher outbox;
  private final Clock clock;
  private final Map<Alert.Kind, String> active = new ConcurrentHashMap<>();

  public AlertRaiser(UploaderStore store, OutboxPublisher outbox, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The message an alert of this kind is queued for, built without publishing (for a shared transaction). */
  public OutboxMessage message(Alert.Kind kind, boolean on, String text, String camera) {
    Alert a = new Alert(Payload.SCHEMA, Ids.newId(), clock.instant(), camera, kind, Alert.Severity.SYSTEM,
        on, text.length() > 500 ? text.substring(0, 500) : text);
    return OutboxMessage.of(Topics.ALERTS, PayloadCodec.encode(a));
  }

  /** Raises {@code kind} unless it is already raised. */
  public void raise(Alert.Kind kind, String text) {
    if (active.putIfAbsent(kind, text) == null) {
      Log.warnf("alert %s: %s", kind, text);
      publish(message(kind, true, text, null));
    }
  }

  /** Raises {@code kind} again even if it is raised, e.g. once per permanently failed item. */
  public void raiseEach(Alert.Kind kind, String text, String camera) {
    active.put(kind, text);
    publish(message(kind, true, text, camera));
  }

  /** Clears {@code kind} if it is raised. */
  public void clear(Alert.Kind kind, String text) {
    if (active.remove(kind) != null) {
      Log.infof("alert %s cleared: %s", kind, text);
      publish(message(kind, false, text, null));
    }
  }

  public boolean isActive(Alert.Kind kind) {
    return active.containsKey(kind);
  }

  /** Active alerts by kind with their text, for statistics. */
  public Map<Alert.Kind, String> active() {
    return Map.copyOf(active);
  }

  private void publish(OutboxMessage m) {
    try {
      store.addOutbox(List.of(m));
      outbox.wake();
    } catch (SQLException e) {
      Log.errorf("cannot queue alert: %s", e.getMessage());
    }
  }
}
