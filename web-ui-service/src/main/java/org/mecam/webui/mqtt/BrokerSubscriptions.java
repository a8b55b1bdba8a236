package org.mecam.webui.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.mecam.events.Alert;
import org.mecam.events.CameraState;
import org.mecam.events.MediaReady;
import org.mecam.events.MediaStored;
import org.mecam.events.MotionEvent;
import org.mecam.events.NotificationSent;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.ValidatingSubscriber;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.webui.service.LiveUpdates;
import org.mecam.webui.service.MediaFetcher;
import org.mecam.webui.store.BrokerRecords;
import org.mecam.webui.store.EventQueries;

/**
 * Subscribes every topic the web UI reads, each filter with its own payload type, and records each
 * message durably before its handler returns (so it is acknowledged only once stored).
 */
@ApplicationScoped
public class BrokerSubscriptions {
  /** Where the uploader's latest retained statistics are kept (raw JSON). */
  public static final String UPLOADER_STATS_SETTING = "uploader.stats";

  private final BrokerConnection broker;
  private final BrokerRecords records;
  private final EventQueries queries;
  private final LiveUpdates live;
  private final DeadLetterPublisher deadLetters;
  private final CommandClient commands;
  private final MediaFetcher fetcher;

  public BrokerSubscriptions(BrokerConnection broker, BrokerRecords records, EventQueries queries,
      LiveUpdates live, DeadLetterPublisher deadLetters, CommandClient commands, MediaFetcher fetcher) {
    this.fetcher = fetcher;
    this.broker = broker;
    this.records = records;
    this.queries = queries;
    this.live = live;
    this.deadLetters = deadLetters;
    this.commands = commands;
  }

  void subscribe(@Observes StartupEvent event) {
    ValidatingSubscriber sub = broker.subscriber();
    sub.subscribe(Topics.ALL_CAMERA_EVENTS, MotionEvent.class, (topic, e) -> {
      if (records.recordMotion(topic, e)) {
        queries.event(e.eventId()).ifPresent(v -> live.publish("event", v));
        publishCamera(e.camera());
      }
    });
    sub.subscribe(Topics.ALL_CAMERA_MEDIA, MediaReady.class, (topic, m) -> {
      if (records.recordMedia(topic, m)) {
        queries.media(m.id()).ifPresent(fetcher::prefetch);
        queries.event(m.eventId()).ifPresent(v -> live.publish("event", v));
        if (m.kind() == org.mecam.events.MediaKind.SNAPSHOT) {
          publishCamera(m.camera());
        }
      }
    });
    sub.subscribe(Topics.ALL_CAMERA_STATE, CameraState.class, (topic, s) -> {
      if (records.recordState(topic, s)) {
        publishCamera(s.camera());
      }
    });
    sub.subscribeAvailability(Topics.ALL_CAMERA_AVAILABILITY, (topic, value) -> {
      String camera = Topics.cameraOf(topic);
      records.recordAvailability(camera, value);
      publishCamera(camera);
    });
    sub.subscribe(Topics.ALL_CAMERA_ALERTS, Alert.class, this::alert);
    sub.subscribe(Topics.ALERTS, Alert.class, this::alert);
    sub.subscribe(Topics.ALL_MEDIA_STORED, MediaStored.class, (topic, m) -> {
      if (records.recordStored(topic, m)) {
        queries.event(m.eventId()).ifPresent(v -> live.publish("event", v));
      }
    });
    sub.subscribe(Topics.NOTIFIER_SENT, NotificationSent.class, (topic, n) -> {
      if (records.recordNotification(topic, n)) {
        live.publish("notification", n);
      }
    });
    broker.transport().subscribe(Topics.UPLOADER_STATS, 1, message -> {
      JsonNode stats;
      try {
        stats = readStats(message.payload());
      } catch (IllegalArgumentException e) {
        deadLetters.publish(message, e.getMessage());
        return;
      }
      records.putSetting(UPLOADER_STATS_SETTING, stats.toString());
      live.publish("stats", stats);
    });
    commands.subscribeReplies();
    Log.info("subscribed to camera events, media, state, availability, alerts, uploader and notifier topics");
  }

  private void alert(String topic, Alert a) {
    if (records.recordAlert(topic, a)) {
      live.publish("alert", a);
    }
  }

  private void publishCamera(String camera) {
    queries.camera(camera).ifPresent(v -> live.publish("camera", v));
  }

  /** The statistics topic has no record type: any schema-1 JSON object within the size cap is accepted. */
  static JsonNode readStats(byte[] payload) {
    if (payload.length == 0) {
      throw new IllegalArgumentException("empty payload");
    }
    if (payload.length > PayloadCodec.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("payload too large: " + payload.length + " bytes");
    }
    JsonNode tree;
    try {
      tree = PayloadCodec.mapper().readTree(new String(payload, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("payload is not JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("payload is not a JSON object");
    }
    JsonNode schema = tree.get("schema");
    if (schema == null || !schema.isInt() || schema.intValue() != org.mecam.events.Payload.SCHEMA) {
      throw new IllegalArgumentException("missing or unsupported schema version (this service reads version "
          + org.mecam.events.Payload.SCHEMA + ")");
    }
    return tree;
  }
}
