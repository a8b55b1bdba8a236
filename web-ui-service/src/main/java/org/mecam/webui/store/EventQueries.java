package org.mecam.webui.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mecam.webui.domain.AlertView;
import org.mecam.webui.domain.CameraView;
import org.mecam.webui.domain.EventQuery;
import org.mecam.webui.domain.EventView;
import org.mecam.webui.domain.MediaView;

/** Reads events, cameras, media and alerts for the API and the pages. */
@ApplicationScoped
public class EventQueries {
  private static final String EVENT_COLUMNS = """
      e.event_id, e.camera, e.phase, e.score, e.armed, e.started_at, e.ended_at,
      (SELECT m.media_id FROM media m WHERE m.event_id = e.event_id AND m.kind = 'snapshot'
         ORDER BY m.start_at LIMIT 1) AS snapshot_id,
      (SELECT m.media_id FROM media m WHERE m.event_id = e.event_id AND m.kind = 'clip'
         ORDER BY m.start_at LIMIT 1) AS clip_id,
      (SELECT m.stage FROM media m WHERE m.event_id = e.event_id AND m.kind = 'clip'
         ORDER BY m.start_at LIMIT 1) AS clip_stage
      """;

  private final WebUiDatabase db;

  public EventQueries(WebUiDatabase db) {
    this.db = db;
  }

  /** Events newest first (by start time), filtered as asked. */
  public List<EventView> events(EventQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM motion_event e WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (q.camera() != null) {
      sql.append(" AND e.camera = ?");
      args.add(q.camera());
    }
    if (q.from() != null) {
      sql.append(" AND e.started_at >= ?");
      args.add(q.from().toEpochMilli());
    }
    if (q.to() != null) {
      sql.append(" AND e.started_at < ?");
      args.add(q.to().toEpochMilli());
    }
    sql.append(" ORDER BY e.started_at DESC, e.event_id LIMIT ?");
    args.add(q.limit());
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          s.setObject(i + 1, args.get(i));
        }
        List<EventView> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(event(rs));
          }
        }
        return out;
      }
    });
  }

  public Optional<EventView> event(String eventId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + EVENT_COLUMNS + " FROM motion_event e WHERE e.event_id = ?")) {
        s.setString(1, eventId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(event(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Every camera the web UI has heard of, by id. */
  public List<CameraView> cameras() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("""
          SELECT c.*, (SELECT m.media_id FROM media m WHERE m.camera = c.camera AND m.kind = 'snapshot'
                         AND m.url IS NOT NULL ORDER BY m.start_at DESC LIMIT 1) AS snapshot_id
          FROM camera c ORDER BY c.camera""");
          ResultSet rs = s.executeQuery()) {
        List<CameraView> out = new ArrayList<>();
        while (rs.next()) {
          out.add(camera(rs));
        }
        return out;
      }
    });
  }

  public Optional<CameraView> camera(String camera) {
    return cameras().stream().filter(v -> v.camera().equals(camera)).findFirst();
  }

  public Optional<MediaView> media(String mediaId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM media WHERE media_id = ?")) {
        s.setString(1, mediaId);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new MediaView(rs.getString("media_id"), rs.getString("camera"),
              rs.getString("event_id"), rs.getString("kind"), rs.getString("url"),
              rs.getString("content_type"), longOrNull(rs, "size"), rs.getString("sha256"),
              instant(rs, "start_at"), instant(rs, "end_at"), rs.getString("stage"),
              rs.getString("backend")));
        }
      }
    });
  }

  public List<AlertView> alerts(int limit) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM alert ORDER BY time DESC LIMIT ?")) {
        s.setInt(1, limit);
        List<AlertView> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new AlertView(rs.getString("id"), rs.getString("camera"), rs.getString("kind"),
                rs.getString("severity"), rs.getInt("active") == 1, rs.getString("message"),
                instant(rs, "time")));
          }
        }
        return out;
      }
    });
  }

  /** A named value from the setting table (e.g. {@code uploader.stats}). */
  public Optional<String> setting(String name) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT value FROM setting WHERE name = ?")) {
        s.setString(1, name);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  private static EventView event(ResultSet rs) throws SQLException {
    return new EventView(rs.getString("event_id"), rs.getString("camera"), rs.getString("phase"),
        rs.getDouble("score"), rs.getInt("armed") == 1, instant(rs, "started_at"),
        instant(rs, "ended_at"), rs.getString("snapshot_id"), rs.getString("clip_id"),
        rs.getString("clip_stage"));
  }

  private static CameraView camera(ResultSet rs) throws SQLException {
    String availability = rs.getString("availability");
    Object armed = rs.getObject("armed");
    Object streaming = rs.getObject("streaming");
    Object width = rs.getObject("width");
    Object height = rs.getObject("height");
    Object fps = rs.getObject("fps");
    return new CameraView(rs.getString("camera"), availability == null ? "unknown" : availability,
        "online".equals(availability),
        armed == null ? null : ((Number) armed).intValue() == 1,
        streaming == null ? null : ((Number) streaming).intValue() == 1,
        width == null ? null : ((Number) width).intValue(),
        height == null ? null : ((Number) height).intValue(),
        fps == null ? null : ((Number) fps).doubleValue(),
        rs.getString("source"), rs.getString("version"), instant(rs, "state_at"),
        instant(rs, "last_motion_at"), rs.getString("snapshot_id"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
