package org.mecam.uploader.pull;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mecam.events.Alert;
import org.mecam.events.DeadLetter;
import org.mecam.events.Ids;
import org.mecam.events.MediaFailed;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mediapull.PullRefusedException;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.service.AlertRaiser;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * What a refused announcement or pull leaves behind: a dead letter with the reason (every time), a
 * per-camera alert with the reason (at most one per camera per {@link #ALERT_EVERY_MS}, so a flood is
 * reported, not relayed), and a {@code MediaFailed} to the camera that says only "refused".
 */
@ApplicationScoped
public class Refusals {
  static final long ALERT_EVERY_MS = 60_000;
  private final UploaderStore store;
  private final OutboxPublisher outbox;
  private final AlertRaiser alerts;
  private final Clock clock;
  private final Map<String, Long> lastAlert = new ConcurrentHashMap<>();

  public Refusals(UploaderStore store, OutboxPublisher outbox, AlertRaiser alerts, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.alerts = alerts;
    this.clock = clock;
  }

  /** The messages a refusal publishes (queued in the caller's transaction or on their own). */
  public List<OutboxMessage> messages(String camera, String mediaId, String reason, int attempts) {
    List<OutboxMessage> out = new ArrayList<>();
    String clipped = reason.length() <= 1500 ? reason : reason.substring(0, 1500) + "…";
    DeadLetter letter = new DeadLetter(Payload.SCHEMA, Ids.newId(), clock.instant(), "uploader",
        Topics.cameraMedia(camera), "media " + mediaId + " refused: " + clipped, 0, "");
    out.add(OutboxMessage.of(Topics.deadLetter("uploader"), PayloadCodec.encode(letter)));
    MediaFailed failed = new MediaFailed(Payload.SCHEMA, Ids.newId(), camera, clock.instant(), mediaId,
        PullRefusedException.PUBLIC_REASON, Math.max(1, attempts), true);
    out.add(OutboxMessage.of(Topics.mediaFailed(camera), PayloadCodec.encode(failed)));
    long now = clock.millis();
    Long last = lastAlert.get(camera);
    if (last == null || now - last >= ALERT_EVERY_MS) {
      lastAlert.put(camera, now);
      out.add(alerts.message(Alert.Kind.UPLOAD_FAILING, true,
          "Media from camera " + camera + " refused: " + clipped, camera));
    }
    Log.warnf("camera %s: %s", camera, clipped);
    return out;
  }

  /** Publishes a refusal of an announcement that was never queued. */
  public void refuseAnnouncement(String camera, String mediaId, String reason) {
    try {
      store.addOutbox(messages(camera, mediaId, reason, 1));
      outbox.wake();
    } catch (SQLException e) {
      Log.errorf("cannot queue the refusal of media %s: %s", mediaId, e.getMessage());
    }
  }

  /** Reports (at most once per camera per minute) that a camera's media waits on it: its quota is full. */
  public void quotaReached(String camera, int cap) {
    long now = clock.millis();
    Long last = lastAlert.get("quota:" + camera);
    if (last != null && now - last < ALERT_EVERY_MS) {
      return;
    }
    lastAlert.put("quota:" + camera, now);
    try {
      store.addOutbox(List.of(alerts.message(Alert.Kind.QUEUE_FULL, true, "Camera " + camera + " has " + cap
          + " items queued (its quota); its new media stays on the camera until they are stored.", camera)));
      outbox.wake();
    } catch (SQLException e) {
      Log.errorf("cannot queue the quota alert of camera %s: %s", camera, e.getMessage());
    }
  }

  /** Fails a queued item for good because its pull was refused. */
  public void refuseItem(String camera, String mediaId, String reason, int attempts) throws SQLException {
    store.markFailed(mediaId, "pull refused: " + reason, messages(camera, mediaId, reason, attempts));
    outbox.wake();
  }
}
