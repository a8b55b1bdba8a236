package org.mecam.notifier.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.Delivery;

/**
 * The outbox: one row per notification and device. Rows in {@code pending} are still to be sent;
 * {@code sent}, {@code dropped} (rate limit), {@code suppressed}, {@code failed} and {@code removed}
 * are final. The same rows count toward the per-subscriber hourly budgets (general, and the security
 * reserve apart from it), so the limits survive restarts.
 */
@ApplicationScoped
public class DeliveryStore {
  public static final String PENDING = "pending";
  public static final String SENT = "sent";
  public static final String DROPPED = "dropped";
  public static final String FAILED = "failed";
  public static final String REMOVED = "removed";

  public long insert(Connection c, String notificationId, Channel channel, String address, String status,
      boolean withImage, Instant now, String detail) throws SQLException {
    return insert(c, notificationId, channel, address, status, withImage, false, now, detail);
  }

  /** {@code reserved}: drawn from the device's security reserve rather than its general budget. */
  public long insert(Connection c, String notificationId, Channel channel, String address, String status,
      boolean withImage, boolean reserved, Instant now, String detail) throws SQLException {
    Sql.update(c, "INSERT INTO delivery(notification_id, channel, target, status, next_attempt_at, created_at,"
            + " finished_at, with_image, detail, reserved) VALUES (?,?,?,?,?,?,?,?,?,?)",
        notificationId, channel.wire(), address, status, now, now, PENDING.equals(status) ? null : now, withImage,
        detail, reserved);
    return Sql.count(c, "SELECT last_insert_rowid()");
  }

  /**
   * Deliveries to this address that count against one of its hourly budgets (everything but dropped
   * ones): the security reserve ({@code reserved}) or the general budget.
   */
  public long countSince(Connection c, String address, boolean reserved, Instant since) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM delivery WHERE target=? AND reserved=? AND created_at>?"
        + " AND status IN ('pending','sent')", address, reserved, since);
  }

  /** The same count for every address at once (for large fan-outs). */
  public java.util.Map<String, Long> countsSince(Connection c, boolean reserved, Instant since)
      throws SQLException {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (Object[] row : Sql.query(c, "SELECT target, COUNT(*) FROM delivery WHERE created_at>? AND reserved=?"
        + " AND status IN ('pending','sent') GROUP BY target", rs -> new Object[] {rs.getString(1), rs.getLong(2)},
        since, reserved)) {
      out.put((String) row[0], (Long) row[1]);
    }
    return out;
  }

  /**
   * Closes a delivery. A null {@code detail} (a send that succeeded) keeps the reason of the last failed
   * attempt, so a delivery sent after a 429 or 5xx still says why it needed more than one attempt.
   */
  public void finish(Connection c, long id, String status, int attempts, Instant now, String detail)
      throws SQLException {
    Sql.update(c, "UPDATE delivery SET status=?, attempts=?, finished_at=?, detail=COALESCE(?, detail) WHERE id=?",
        status, attempts, now, detail, id);
  }

  public void reschedule(Connection c, long id, int attempts, Instant next, String detail) throws SQLException {
    Sql.update(c, "UPDATE delivery SET attempts=?, next_attempt_at=?, detail=? WHERE id=?", attempts, next, detail, id);
  }

  /** Pending deliveries of other notifications to an address that is gone are closed as removed. */
  public void closePendingFor(Connection c, String address, Instant now) throws SQLException {
    Sql.update(c, "UPDATE delivery SET status='removed', finished_at=? WHERE target=? AND status='pending'",
        now, address);
  }

  /** Every pending delivery with its due time, for resuming after a restart. */
  public List<Object[]> pending(Connection c) throws SQLException {
    return Sql.query(c, "SELECT id, notification_id, channel, target, with_image, attempts, next_attempt_at"
            + " FROM delivery WHERE status='pending' ORDER BY next_attempt_at",
        rs -> new Object[] {new Delivery(rs.getLong(1), rs.getString(2), Channel.of(rs.getString(3)),
            rs.getString(4), rs.getInt(5) == 1, rs.getInt(6)), Instant.ofEpochMilli(rs.getLong(7))});
  }

  /** Delivery rows of a notification (status per channel/target), for the operator API and tests. */
  public List<String[]> ofNotification(Connection c, String notificationId) throws SQLException {
    return Sql.query(c, "SELECT channel, target, status, attempts, COALESCE(detail,'') FROM delivery"
            + " WHERE notification_id=? ORDER BY id",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)},
        notificationId);
  }
}
