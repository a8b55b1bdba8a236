package org.mecam.agent.mqtt;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.mecam.agent.observe.Metrics;
import org.mecam.events.Alert;
import org.mecam.events.Box;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;

/**
 * Builds the camera's contract payloads (motion events, media-ready, alerts) and queues them in the
 * durable outbox, which delivers them in the order queued.
 */
public final class EventPublisher {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class.getName());

  private final String camera;
  private final Outbox outbox;
  private final Clock clock;
  private final Metrics.Counter events;
  private final Metrics.Counter media;
  private final Metrics.Counter alerts;

  public EventPublisher(String camera, Outbox outbox, Clock clock, Metrics metrics) {
    this.camera = camera;
    this.outbox = outbox;
    this.clock = clock;
    this.events = metrics.counter("mecam_agent_motion_messages_total", "Motion event messages queued");
    this.media = metrics.counter("mecam_agent_media_ready_total", "Media-ready messages queued");
    this.alerts = metrics.counter("mecam_agent_alerts_total", "Alert messages queued");
    metrics.gauge("mecam_agent_outbox_pending", "Messages waiting for the broker's confirmation", outbox::size);
  }

  public void motion(MotionEvent.Phase phase, String eventId, double score, List<Box> boxes, boolean armed,
      Instant startedAt, Instant endedAt) throws IOException {
    MotionEvent e = new MotionEvent(Payload.SCHEMA, Ids.newId(), camera, clock.instant(), eventId, phase,
        clamp(score), boxes, armed, startedAt, endedAt);
    queue(Topics.cameraEvents(camera), e, false);
    events.inc();
    LOG.info("camera " + camera + " motion " + phase.name().toLowerCase(java.util.Locale.ROOT) + " event "
        + eventId + " score " + String.format(java.util.Locale.ROOT, "%.2f", e.score())
        + (armed ? "" : " (disarmed)"));
  }

  public void mediaReady(String mediaId, String eventId, MediaKind kind, String path, String url,
      String sha256, long size, String contentType, Instant start, Instant end) throws IOException {
    MediaReady m = new MediaReady(Payload.SCHEMA, mediaId, camera, clock.instant(), eventId, kind, path, url,
        sha256, size, contentType, start, end.isBefore(start) ? start : end);
    queue(Topics.cameraMedia(camera), m, false);
    media.inc();
    LOG.info("camera " + camera + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + mediaId
        + " ready for event " + eventId + " (" + size + " bytes)");
  }

  public void alert(Alert.Kind kind, Alert.Severity severity, boolean active, String message) throws IOException {
    Alert a = new Alert(Payload.SCHEMA, Ids.newId(), clock.instant(), camera, kind, severity, active,
        message.length() > 500 ? message.substring(0, 500) : message);
    queue(Topics.cameraAlerts(camera), a, false);
    alerts.inc();
  }

  private void queue(String topic, Payload p, boolean retained) throws IOException {
    outbox.append(topic, PayloadCodec.encode(p), retained);
  }

  private static double clamp(double s) {
    return Math.max(0, Math.min(1, s));
  }
}
