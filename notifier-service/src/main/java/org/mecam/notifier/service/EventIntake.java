package org.mecam.notifier.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mecam.events.Alert;
import org.mecam.events.CameraState;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaStored;
import org.mecam.events.MotionEvent;
import org.mecam.events.Topics;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Category;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.notifier.store.CameraStore;
import org.mecam.notifier.store.NotificationStore;
import org.mecam.notifier.store.NotifierDatabase;

/**
 * Turns each incoming event into notification records in one transaction per message (deduplicated
 * by message id): motion starts (respecting armed state, snooze and the per-camera cool-down), the
 * snapshot once stored, alerts (with a cool-down per alert), and camera availability changes; each
 * camera's notices pass its hourly per-category limit ({@link CameraLimits}).
 */
@ApplicationScoped
public class EventIntake {
  /** Notification statuses for records that reach no device. */
  public static final String QUIET = "quiet";
  public static final String GROUPED = "grouped";
  public static final String SNOOZED = "snoozed";

  private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private final NotifierDatabase db;
  private final NotificationStore notifications;
  private final CameraStore cameras;
  private final NotificationPlanner planner;
  private final CameraLimits limits;
  private final NotifierConfig config;
  private final Clock clock;

  public EventIntake(NotifierDatabase db, NotificationStore notifications, CameraStore cameras,
      NotificationPlanner planner, CameraLimits limits, NotifierConfig config, Clock clock) {
    this.limits = limits;
    this.db = db;
    this.notifications = notifications;
    this.cameras = cameras;
    this.planner = planner;
    this.config = config;
    this.clock = clock;
  }

  /** A motion start becomes a notification; updates and ends only refresh the record. */
  public List<Plan> motion(String topic, MotionEvent e) throws SQLException {
    Instant now = clock.instant();
    return db.inTransaction(c -> {
      if (!notifications.markProcessed(c, e.id(), topic, now)) {
        return List.of();
      }
      if (e.type() != MotionEvent.Phase.START) {
        Notice existing = notifications.findByEvent(c, e.eventId());
        if (existing != null && e.type() == MotionEvent.Phase.END && e.endedAt() != null) {
          long secs = Duration.between(e.startedAt(), e.endedAt()).toSeconds();
          notifications.appendBody(c, existing.id(), existing.body() + " Ended after " + secs + " s.", now);
        }
        return List.of();
      }
      if (notifications.findByEvent(c, e.eventId()) != null) {
        return List.of();
      }
      Notice notice = new Notice(Ids.newId(), e.id(), topic, e.camera(), e.eventId(), Category.MOTION, "high",
          "Motion on " + e.camera(),
          String.format(Locale.ROOT, "Motion detected at %s (score %.2f).", HHMMSS.format(e.startedAt()), e.score()),
          "motion-" + e.camera(), null, e.time());
      if (!e.armed()) {
        return List.of(planner.recordOnly(c, notice, QUIET, now));
      }
      CameraStore.Camera cam = cameras.find(c, e.camera());
      if (cam != null && cam.snoozedUntil().isAfter(now)) {
        return List.of(planner.recordOnly(c, notice, SNOOZED, now));
      }
      Instant last = notifications.lastSentMotion(c, e.camera());
      if (last != null && last.plus(config.cooldown()).isAfter(now)) {
        return List.of(planner.recordOnly(c, notice, GROUPED, now));
      }
      return limits.planWithinLimit(c, notice, now);
    });
  }

  /** A stored snapshot of a notified motion event is sent again, with the picture, under the same tag. */
  public List<Plan> mediaStored(String topic, MediaStored m) throws SQLException {
    Instant now = clock.instant();
    return db.inTransaction(c -> {
      if (!notifications.markProcessed(c, m.id(), topic, now) || m.kind() != MediaKind.SNAPSHOT) {
        return List.of();
      }
      Notice first = notifications.findByEvent(c, m.eventId());
      if (first == null || first.mediaId() != null) {
        return List.of();
      }
      notifications.attachMedia(c, first.id(), m.mediaId(), now);
      String status = statusOf(c, first.id());
      if (!NotificationPlanner.SENT.equals(status)) {
        return List.of();
      }
      Notice update = new Notice(Ids.newId(), m.id(), topic, m.camera(), m.eventId(), Category.MOTION, "high",
          first.title(), first.body(), first.tag(), m.mediaId(), m.time());
      return List.of(planner.plan(c, update, now, d -> true, false));
    });
  }

  private String statusOf(java.sql.Connection c, String id) throws SQLException {
    try (var ps = c.prepareStatement("SELECT status FROM notification WHERE id=?")) {
      ps.setString(1, id);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Alerts from cameras and services: security ones are urgent and break through quiet hours. */
  public List<Plan> alert(String topic, Alert a) throws SQLException {
    Instant now = clock.instant();
    return db.inTransaction(c -> {
      if (!notifications.markProcessed(c, a.id(), topic, now)) {
        return List.of();
      }
      Category category = a.active() && a.severity() == Alert.Severity.SECURITY ? Category.SECURITY : Category.SYSTEM;
      String urgency = category == Category.SECURITY ? "high" : a.active() && a.severity() == Alert.Severity.SYSTEM
          ? "normal" : "low";
      String where = a.camera() == null ? "" : " (" + a.camera() + ")";
      String kind = kindName(a.kind());
      String title = (a.active() ? "" : "Resolved: ") + kind + where;
      Notice notice = new Notice(Ids.newId(), a.id(), topic, a.camera(), null, category, urgency, title,
          a.message(), "alert-" + kind.toLowerCase(Locale.ROOT).replace(' ', '-')
              + (a.camera() == null ? "" : "-" + a.camera()), null, a.time());
      if (limits.inCooldown(c, notice, now)) {
        return List.of(planner.recordOnly(c, notice, GROUPED, now));
      }
      return limits.planWithinLimit(c, notice, now);
    });
  }

  /** Remembers whether a camera is armed (retained state). */
  public void state(String topic, CameraState s) throws SQLException {
    Instant now = clock.instant();
    db.inTransaction(c -> {
      cameras.setArmed(c, s.camera(), s.armed(), now);
      return null;
    });
  }

  /**
   * A camera lost without goodbye (Last Will {@code offline}) raises a security notification; a clean
   * stop a quiet system one; coming back after either a low-urgency one. Repeats of the same value
   * (the retained message after every reconnect) change nothing.
   */
  public List<Plan> availability(String topic, String value) throws SQLException {
    Instant now = clock.instant();
    String camera = Topics.cameraOf(topic);
    return db.inTransaction(c -> {
      String before = cameras.setAvailability(c, camera, value, now);
      if (value.equals(before)) {
        return List.of();
      }
      List<Plan> plans = new ArrayList<>();
      String tag = "availability-" + camera;
      if (value.equals(Topics.OFFLINE)) {
        plans.addAll(limits.planWithinLimit(c, new Notice(Ids.newId(), null, topic, camera, null, Category.SECURITY,
            "high", "Camera " + camera + " is offline", "The camera stopped answering without shutting down: check"
                + " its power and network.", tag, null, now), now));
      } else if (value.equals(Topics.STOPPED)) {
        plans.addAll(limits.planWithinLimit(c, new Notice(Ids.newId(), null, topic, camera, null, Category.SYSTEM,
            "low", "Camera " + camera + " stopped", "The camera agent was shut down.", tag, null, now), now));
      } else if (before != null) {
        plans.addAll(limits.planWithinLimit(c, new Notice(Ids.newId(), null, topic, camera, null, Category.SYSTEM,
            "low", "Camera " + camera + " is back online", "The camera is online again.", tag, null, now), now));
      }
      if (!plans.isEmpty()) {
        Log.infof("camera %s availability %s -> %s", camera, before, value);
      }
      return plans;
    });
  }

  private static String kindName(Alert.Kind kind) {
    String s = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
