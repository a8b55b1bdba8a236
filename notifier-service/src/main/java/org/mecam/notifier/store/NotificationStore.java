package org.mecam.notifier.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.mecam.notifier.domain.Category;
import org.mecam.notifier.domain.Notice;

/** Notification records and the processed-message ledger that makes handling idempotent. */
@ApplicationScoped
public class NotificationStore {

  /** A notification as stored, for the operator API and the daily summary. */
  public record Row(String id, String sourceId, String topic, String camera, String eventId, String category,
      String urgency, String title, String body, String tag, String mediaId, String status, int targets,
      int suppressed, int dropped, Instant createdAt, Instant updatedAt) {}

  /** Records a message id; false when it was seen before (a redelivery). */
  public boolean markProcessed(Connection c, String messageId, String topic, Instant now) throws SQLException {
    return Sql.update(c, "INSERT OR IGNORE INTO processed_message(id, topic, received_at) VALUES (?,?,?)",
        messageId, topic, now) == 1;
  }

  public void insert(Connection c, Notice n, String status, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO notification(id, source_id, topic, camera, event_id, category, urgency, title,"
            + " body, tag, media_id, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        n.id(), n.sourceId(), n.topic(), n.camera(), n.eventId(), n.category().wire(), n.urgency(), n.title(),
        n.body(), n.tag(), n.mediaId(), status, now, now);
  }

  public void setOutcome(Connection c, String id, String status, int targets, int suppressed, int dropped,
      Instant now) throws SQLException {
    Sql.update(c, "UPDATE notification SET status=?, targets=?, suppressed=?, dropped=?, updated_at=? WHERE id=?",
        status, targets, suppressed, dropped, now, id);
  }

  public void attachMedia(Connection c, String id, String mediaId, Instant now) throws SQLException {
    Sql.update(c, "UPDATE notification SET media_id=?, updated_at=? WHERE id=?", mediaId, now, id);
  }

  public void appendBody(Connection c, String id, String body, Instant now) throws SQLException {
    Sql.update(c, "UPDATE notification SET body=?, updated_at=? WHERE id=?", body, now, id);
  }

  /** The pushed (not grouped/quiet) motion notification of a motion event, if any. */
  public Notice findByEvent(Connection c, String eventId) throws SQLException {
    return Sql.one(c, "SELECT * FROM notification WHERE event_id=? AND category='motion' ORDER BY created_at LIMIT 1",
        NotificationStore::notice, eventId);
  }

  public Notice find(Connection c, String id) throws SQLException {
    return Sql.one(c, "SELECT * FROM notification WHERE id=?", NotificationStore::notice, id);
  }

  /** When the last motion notification for a camera was actually sent to devices, or null. */
  public Instant lastSentMotion(Connection c, String camera) throws SQLException {
    return Sql.one(c, "SELECT MAX(created_at) FROM notification WHERE camera=? AND category='motion'"
        + " AND status='sent'", rs -> Sql.instant(rs, "MAX(created_at)"), camera);
  }

  /**
   * How many notifications a camera caused in a category since {@code since} that went on to planning
   * (not throttled, grouped, quiet or snoozed); one motion event counts once, and its flood report not at all.
   */
  public long cameraUsage(Connection c, String camera, Category category, Instant since, String excludedTag)
      throws SQLException {
    return Sql.count(c, "SELECT COUNT(DISTINCT COALESCE(event_id, id)) FROM notification WHERE camera=?"
        + " AND category=? AND created_at>? AND status NOT IN ('throttled','grouped','quiet','snoozed')"
        + " AND (tag IS NULL OR tag<>?)", camera, category.wire(), since, excludedTag);
  }

  /** Notifications with this tag since {@code since}, whatever their status. */
  public long countTagSince(Connection c, String tag, Instant since) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM notification WHERE tag=? AND created_at>?", tag, since);
  }

  /** Sent notifications with this tag and title since {@code since} (the alert cool-down). */
  public long sentLikeSince(Connection c, String tag, String title, Instant since) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM notification WHERE tag=? AND title=? AND created_at>?"
        + " AND status='sent'", tag, title, since);
  }

  public List<Row> recent(Connection c, int limit) throws SQLException {
    return Sql.query(c, "SELECT * FROM notification ORDER BY created_at DESC, rowid DESC LIMIT ?",
        NotificationStore::row, limit);
  }

  /** Counts per category and camera since {@code since}, for the daily summary. */
  public List<String[]> countsSince(Connection c, Instant since) throws SQLException {
    return Sql.query(c, "SELECT category, COALESCE(camera,''), COUNT(*) FROM notification WHERE created_at>=?"
            + " AND category IN ('motion','security','system') GROUP BY category, camera ORDER BY category, camera",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, since);
  }

  public int deleteAll(Connection c) throws SQLException {
    Sql.update(c, "DELETE FROM delivery");
    return Sql.update(c, "DELETE FROM notification");
  }

  private static Notice notice(java.sql.ResultSet rs) throws SQLException {
    return new Notice(rs.getString("id"), rs.getString("source_id"), rs.getString("topic"),
        rs.getString("camera"), rs.getString("event_id"), Category.of(rs.getString("category")),
        rs.getString("urgency"), rs.getString("title"), rs.getString("body"), rs.getString("tag"),
        rs.getString("media_id"), Sql.instant(rs, "created_at"));
  }

  private static Row row(java.sql.ResultSet rs) throws SQLException {
    return new Row(rs.getString("id"), rs.getString("source_id"), rs.getString("topic"), rs.getString("camera"),
        rs.getString("event_id"), rs.getString("category"), rs.getString("urgency"), rs.getString("title"),
        rs.getString("body"), rs.getString("tag"), rs.getString("media_id"), rs.getString("status"),
        rs.getInt("targets"), rs.getInt("suppressed"), rs.getInt("dropped"), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }
}
