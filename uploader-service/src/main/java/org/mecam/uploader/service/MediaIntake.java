package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import org.mecam.events.Alert;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.uploader.domain.Priorities;
import org.mecam.uploader.domain.Schedule;
import org.mecam.uploader.store.UploaderStore;
import java.io.IOException;
import org.mecam.mediapull.MediaPuller;
import org.mecam.mediapull.MediaRequest;
import org.mecam.mediapull.PullRefusedException;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.pull.Refusals;

/**
 * Records each media-ready message durably (deduplicated by media id) with its priority and upload
 * time, then wakes the pullers; returning normally is what lets the message be acknowledged.
 */
@ApplicationScoped
public class MediaIntake {
  private final UploaderStore store;
  private final RuntimeSettings settings;
  private final AlertRaiser alerts;
  private final Clock clock;
  private final MediaPuller puller;
  private final Refusals refusals;
  private final int perCameraQueueCap;
  private volatile Runnable onNew = () -> {};

  public MediaIntake(UploaderStore store, RuntimeSettings settings, AlertRaiser alerts, Clock clock,
      MediaPuller puller, Refusals refusals, UploaderConfig config) {
    this.store = store;
    this.puller = puller;
    this.refusals = refusals;
    this.perCameraQueueCap = Math.max(1, config.pull().perCameraQueueCap());
    this.settings = settings;
    this.alerts = alerts;
    this.clock = clock;
  }

  /** Called after each newly recorded item (wires the pullers without a dependency cycle). */
  public void onNew(Runnable r) {
    this.onNew = r;
  }

  /**
   * Records {@code m}, or refuses it (dead letter, per-camera alert, "refused" to the camera) when the
   * camera is not registered, the path leaves its namespace, the type or size is not allowed, or the
   * media id belongs to another camera.
   */
  public UploaderStore.Recorded accept(MediaReady m) throws SQLException {
    try {
      puller.check(new MediaRequest(m.camera(), m.id(), m.kind(), m.path(), m.size(), m.sha256(), m.contentType()));
    } catch (PullRefusedException e) {
      refusals.refuseAnnouncement(m.camera(), m.id(), e.getMessage());
      return UploaderStore.Recorded.DUPLICATE;
    } catch (IOException e) {
      throw new SQLException("camera registry unreadable: " + e.getMessage(), e);
    }
    Schedule schedule = settings.schedule();
    int priority = Priorities.of(m.kind(), schedule);
    long now = clock.millis();
    long eligibleAt = m.kind() == MediaKind.SNAPSHOT ? now
        : schedule.eligibleAt(clock.instant(), ZoneId.systemDefault(), settings.dailyAt());
    UploaderStore.Recorded r = store.record(m, priority, eligibleAt, now, settings.queueCap(), perCameraQueueCap);
    switch (r) {
      case NEW -> {
        Log.infof("media %s (%s) from camera %s recorded, priority %d", m.id(), m.kind(), m.camera(), priority);
        onNew.run();
      }
      case NEW_WAITING -> {
        Log.warnf("media %s from camera %s recorded but left on the camera: queue full (cap %d)",
            m.id(), m.camera(), settings.queueCap());
        if (store.countActive() >= settings.queueCap()) {
          alerts.raise(Alert.Kind.QUEUE_FULL, "Upload queue is full (" + settings.queueCap()
              + " items); new media stays on the cameras until there is room.");
        } else {
          refusals.quotaReached(m.camera(), perCameraQueueCap);
        }
      }
      case DUPLICATE -> Log.debugf("media %s from camera %s already recorded", m.id(), m.camera());
      case OTHER_CAMERA -> refusals.refuseAnnouncement(m.camera(), m.id(),
          "media id " + m.id() + " belongs to another camera");
    }
    return r;
  }
}
