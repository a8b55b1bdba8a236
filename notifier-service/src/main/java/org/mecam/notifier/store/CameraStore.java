package org.mecam.notifier.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** What the notifier knows about each camera: armed, availability, snoozed until. */
@ApplicationScoped
public class CameraStore {

  /** One camera's known state; {@code armed} null when no state was seen yet. */
  public record Camera(String camera, Boolean armed, String availability, Instant snoozedUntil) {}

  public Camera find(Connection c, String camera) throws SQLException {
    return Sql.one(c, "SELECT * FROM camera WHERE camera=?", rs -> {
      int armed = rs.getInt("armed");
      Boolean a = rs.wasNull() ? null : armed == 1;
      return new Camera(rs.getString("camera"), a, rs.getString("availability"),
          Instant.ofEpochMilli(rs.getLong("snoozed_until")));
    }, camera);
  }

  public void setArmed(Connection c, String camera, boolean armed, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO camera(camera, armed, updated_at) VALUES (?,?,?)"
        + " ON CONFLICT(camera) DO UPDATE SET armed=excluded.armed, updated_at=excluded.updated_at",
        camera, armed, now);
  }

  /** Stores the availability and returns the previous value (null when unknown). */
  public String setAvailability(Connection c, String camera, String availability, Instant now)
      throws SQLException {
    Camera before = find(c, camera);
    Sql.update(c, "INSERT INTO camera(camera, availability, updated_at) VALUES (?,?,?)"
        + " ON CONFLICT(camera) DO UPDATE SET availability=excluded.availability, updated_at=excluded.updated_at",
        camera, availability, now);
    return before == null ? null : before.availability();
  }

  public void snooze(Connection c, String camera, Instant until, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO camera(camera, snoozed_until, updated_at) VALUES (?,?,?)"
        + " ON CONFLICT(camera) DO UPDATE SET snoozed_until=excluded.snoozed_until, updated_at=excluded.updated_at",
        camera, until, now);
  }
}
