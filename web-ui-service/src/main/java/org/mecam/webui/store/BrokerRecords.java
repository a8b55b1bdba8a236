package org.mecam.webui.store;

import io.quarkus.logging.Log;
import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import org.mecam.events.Alert;
import org.mecam.events.CameraState;
import org.mecam.events.MediaReady;
import org.mecam.events.MediaStored;
import org.mecam.events.MotionEvent;
import org.mecam.events.NotificationSent;
import org.mecam.events.PayloadCodec;

/**
 * Writes what arrives from the broker into the web UI's database, one transaction per message,
 * skipping message ids already applied; each method returns false for a duplicate.
 */
@ApplicationScoped
public class BrokerRecords {
  private final WebUiDatabase db;
  private final Clock clock;

  public BrokerRecords(WebUiDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Creates or updates the event's row; a later phase never goes back to an earlier one. */
  public boolean recordMotion(String topic, MotionEvent e) {
    return db.inTransaction(c -> {
      if (!markSeen(c, e.id(), topic)) {
        return false;
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO motion_event (event_id, camera, phase, phase_rank, score, armed, started_at,
              ended_at, boxes_json, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (event_id) DO UPDATE SET
            phase = CASE WHEN excluded.phase_rank >= phase_rank THEN excluded.phase ELSE phase END,
            phase_rank = max(phase_rank, excluded.phase_rank),
            score = max(score, excluded.score),
            armed = max(armed, excluded.armed),
            started_at = min(started_at, excluded.started_at),
            ended_at = coalesce(excluded.ended_at, ended_at),
            boxes_json = CASE WHEN excluded.phase_rank >= phase_rank THEN excluded.boxes_json
                              ELSE boxes_json END,
            updated_at = excluded.updated_at
          WHERE camera = excluded.camera""")) {
        s.setString(1, e.eventId());
        s.setString(2, e.camera());
        s.setString(3, e.type().name().toLowerCase());
        s.setInt(4, e.type().ordinal());
        s.setDouble(5, e.score());
        s.setInt(6, e.armed() ? 1 : 0);
        s.setLong(7, e.startedAt().toEpochMilli());
        setInstant(s, 8, e.endedAt());
        s.setString(9, json(e.boxes()));
        s.setLong(10, clock.millis());
        s.executeUpdate();
      }
      ensureCamera(c, e.camera());
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE camera SET last_motion_at = max(coalesce(last_motion_at, 0), ?) WHERE camera = ?")) {
        s.setLong(1, e.startedAt().toEpochMilli());
        s.setString(2, e.camera());
        s.executeUpdate();
      }
      return true;
    });
  }

  /** Records a snapshot or clip announced by a camera (stage {@code ready}). */
  public boolean recordMedia(String topic, MediaReady m) {
    return db.inTransaction(c -> {
      if (!markSeen(c, m.id(), topic)) {
        return false;
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO media (media_id, camera, event_id, kind, url, content_type, size, sha256,
              start_at, end_at, stage, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?)
          ON CONFLICT (media_id) DO UPDATE SET url = excluded.url,
            content_type = excluded.content_type, start_at = excluded.start_at,
            end_at = excluded.end_at, updated_at = excluded.updated_at
          WHERE media.camera = excluded.camera""")) {
        s.setString(1, m.id());
        s.setString(2, m.camera());
        s.setString(3, m.eventId());
        s.setString(4, m.kind().name().toLowerCase());
        s.setString(5, m.url());
        s.setString(6, m.contentType());
        s.setLong(7, m.size());
        s.setString(8, m.sha256());
        s.setLong(9, m.start().toEpochMilli());
        s.setLong(10, m.end().toEpochMilli());
        s.setLong(11, clock.millis());
        if (s.executeUpdate() == 0) {
          // The media id is another camera's: a camera cannot repoint another camera's media.
          Log.warnf("camera %s announced media id %s, which belongs to another camera; ignored", m.camera(), m.id());
          return true;
        }
      }
      ensureCamera(c, m.camera());
      return true;
    });
  }

  /** Records how far the uploader got with a media file (staged, then uploaded). */
  public boolean recordStored(String topic, MediaStored m) {
    return db.inTransaction(c -> {
      if (!markSeen(c, m.id(), topic)) {
        return false;
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO media (media_id, camera, event_id, kind, size, sha256, stage, backend, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (media_id) DO UPDATE SET
            stage = CASE WHEN stage = 'uploaded' THEN stage ELSE excluded.stage END,
            backend = excluded.backend, updated_at = excluded.updated_at""")) {
        s.setString(1, m.mediaId());
        s.setString(2, m.camera());
        s.setString(3, m.eventId());
        s.setString(4, m.kind().name().toLowerCase());
        s.setLong(5, m.size());
        s.setString(6, m.sha256());
        s.setString(7, m.stage().name().toLowerCase());
        s.setString(8, m.backend());
        s.setLong(9, clock.millis());
        s.executeUpdate();
      }
      return true;
    });
  }

  /** Keeps the newest retained state of a camera (older states arriving late are ignored). */
  public boolean recordState(String topic, CameraState st) {
    return db.inTransaction(c -> {
      if (!markSeen(c, st.id(), topic)) {
        return false;
      }
      ensureCamera(c, st.camera());
      try (PreparedStatement s = c.prepareStatement("""
          UPDATE camera SET armed = ?, streaming = ?, width = ?, height = ?, fps = ?, source = ?,
            version = ?, state_at = ?
          WHERE camera = ? AND coalesce(state_at, 0) <= ?""")) {
        s.setInt(1, st.armed() ? 1 : 0);
        s.setInt(2, st.streaming() ? 1 : 0);
        s.setInt(3, st.width());
        s.setInt(4, st.height());
        s.setDouble(5, st.fps());
        s.setString(6, st.source());
        s.setString(7, st.version());
        s.setLong(8, st.time().toEpochMilli());
        s.setString(9, st.camera());
        s.setLong(10, st.time().toEpochMilli());
        s.executeUpdate();
      }
      return true;
    });
  }

  /** Availability carries no id or time; the value simply replaces the last one (idempotent). */
  public void recordAvailability(String camera, String value) {
    db.inTransaction(c -> {
      ensureCamera(c, camera);
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE camera SET availability = ?, availability_at = ? WHERE camera = ?")) {
        s.setString(1, value);
        s.setLong(2, clock.millis());
        s.setString(3, camera);
        s.executeUpdate();
      }
      return null;
    });
  }

  public boolean recordAlert(String topic, Alert a) {
    return db.inTransaction(c -> {
      if (!markSeen(c, a.id(), topic)) {
        return false;
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT OR IGNORE INTO alert (id, camera, kind, severity, active, message, time)
          VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, a.id());
        s.setString(2, a.camera());
        s.setString(3, enumText(a.kind()));
        s.setString(4, a.severity().name().toLowerCase());
        s.setInt(5, a.active() ? 1 : 0);
        s.setString(6, a.message());
        s.setLong(7, a.time().toEpochMilli());
        s.executeUpdate();
      }
      return true;
    });
  }

  public boolean recordNotification(String topic, NotificationSent n) {
    return db.inTransaction(c -> {
      if (!markSeen(c, n.id(), topic)) {
        return false;
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT OR IGNORE INTO notification (id, camera, source_id, category, title, body, delivered,
              suppressed, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, n.id());
        s.setString(2, n.camera());
        s.setString(3, n.sourceId());
        s.setString(4, n.category());
        s.setString(5, n.title());
        s.setString(6, n.body());
        s.setInt(7, n.delivered());
        s.setInt(8, n.suppressed());
        s.setLong(9, n.time().toEpochMilli());
        s.executeUpdate();
      }
      return true;
    });
  }

  /** Stores a named value (e.g. the uploader's statistics JSON), replacing the previous one. */
  public void putSetting(String name, String value) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT OR REPLACE INTO setting (name, value, updated_at) VALUES (?, ?, ?)")) {
        s.setString(1, name);
        s.setString(2, value);
        s.setLong(3, clock.millis());
        s.executeUpdate();
      }
      return null;
    });
  }

  private boolean markSeen(Connection c, String id, String topic) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT OR IGNORE INTO seen_message (id, topic, received_at) VALUES (?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, topic);
      s.setLong(3, clock.millis());
      return s.executeUpdate() == 1;
    }
  }

  private static void ensureCamera(Connection c, String camera) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT OR IGNORE INTO camera (camera) VALUES (?)")) {
      s.setString(1, camera);
      s.executeUpdate();
    }
  }

  private static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setLong(index, value.toEpochMilli());
    }
  }

  private static String enumText(Enum<?> e) {
    return e.name().toLowerCase().replace('_', '-');
  }

  private static String json(Object value) {
    try {
      return PayloadCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return "[]";
    }
  }
}
