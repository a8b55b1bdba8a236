package org.mecam.uploader.store;

import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.store.SqliteDatabase;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;

/**
 * The uploader's durable queue in SQLite: one row per media id (so a redelivered message is a no-op),
 * state changes together with the messages that report them (outbox), settings and seen commands.
 */
@ApplicationScoped
public class UploaderStore {
  /** What recording a media-ready message did. */
  public enum Recorded { NEW, NEW_WAITING, DUPLICATE, OTHER_CAMERA }

  private static final String COLUMNS = "media_id, camera, event_id, kind, path, url, sha256, size, "
      + "content_type, media_start, received_at, priority, state, attempts, next_attempt_at, eligible_at, "
      + "last_error, staged_path, backend, remote_id, upload_session, ciphertext_size, uploaded_at";

  private final SqliteDatabase db;

  public UploaderStore(ServiceConfig service) {
    this.db = SqliteDatabase.open(service.dataDir().resolve("uploader.db"),
        List.of("db/uploader/V1__init.sql"));
  }

  @PreDestroy
  void close() {
    db.close();
  }

  /**
   * Records a media-ready message unless its media id is already known; when {@code queueCap} active
   * items exist it is recorded as {@link ItemState#WAITING} (left on the camera for now).
   */
  public Recorded record(MediaReady m, int priority, long eligibleAt, long now, int queueCap)
      throws SQLException {
    return record(m, priority, eligibleAt, now, queueCap, Integer.MAX_VALUE);
  }

  /**
   * As {@link #record(MediaReady, int, long, long, int)}, and an item also waits when its camera has
   * {@code cameraCap} items in the queue already; a media id another camera recorded is
   * {@link Recorded#OTHER_CAMERA} and changes nothing.
   */
  public Recorded record(MediaReady m, int priority, long eligibleAt, long now, int queueCap, int cameraCap)
      throws SQLException {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT camera FROM media WHERE media_id=?")) {
        s.setString(1, m.id());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1).equals(m.camera()) ? Recorded.DUPLICATE : Recorded.OTHER_CAMERA;
          }
        }
      }
      long active = countActive(c);
      ItemState state = active >= queueCap || countActiveFor(c, m.camera()) >= cameraCap
          ? ItemState.WAITING : ItemState.RECEIVED;
      try (PreparedStatement s = c.prepareStatement("INSERT OR IGNORE INTO media (media_id, camera, "
          + "event_id, kind, path, url, sha256, size, content_type, media_start, received_at, priority, "
          + "state, eligible_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        s.setString(1, m.id());
        s.setString(2, m.camera());
        s.setString(3, m.eventId());
        s.setString(4, m.kind().name().toLowerCase());
        s.setString(5, m.path());
        s.setString(6, m.url());
        s.setString(7, m.sha256());
        s.setLong(8, m.size());
        s.setString(9, m.contentType());
        s.setString(10, m.start().toString());
        s.setLong(11, now);
        s.setInt(12, priority);
        s.setString(13, state.db());
        s.setLong(14, eligibleAt);
        if (s.executeUpdate() == 0) {
          return Recorded.DUPLICATE;
        }
      }
      return state == ItemState.WAITING ? Recorded.NEW_WAITING : Recorded.NEW;
    });
  }

  private static long countActive(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM media WHERE state IN ('received','staging','staged','uploading')");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static long countActiveFor(Connection c, String camera) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM media WHERE camera=? AND "
        + "state IN ('received','staging','staged','uploading')")) {
      s.setString(1, camera);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Items of {@code camera} in the queue (not yet uploaded, not waiting). */
  public long countActiveFor(String camera) throws SQLException {
    return db.read(c -> countActiveFor(c, camera));
  }

  /**
   * Cameras with an item due for pulling, each with the best (lowest) priority it has due: the
   * pullers pick a camera from these, then its item.
   */
  public Map<String, Integer> dueCameras(long now) throws SQLException {
    return db.read(c -> {
      Map<String, Integer> m = new java.util.LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT camera, min(priority) FROM media WHERE "
          + "state='received' AND next_attempt_at<=? GROUP BY camera")) {
        s.setLong(1, now);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            m.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
      return m;
    });
  }

  /** Claims {@code camera}'s most important item due for pulling. */
  public Optional<MediaItem> claimForStaging(long now, String camera) throws SQLException {
    return db.inTransaction(c -> {
      MediaItem item;
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM media WHERE camera=? AND "
          + "state='received' AND next_attempt_at<=? ORDER BY priority, rowid LIMIT 1")) {
        s.setString(1, camera);
        s.setLong(2, now);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          item = map(rs);
        }
      }
      setState(c, item.mediaId(), ItemState.STAGING);
      return Optional.of(item);
    });
  }

  public long countActive() throws SQLException {
    return db.read(UploaderStore::countActive);
  }

  /** Moves waiting items to received while there is room under the cap; returns how many moved. */
  public int promoteWaiting(int queueCap) throws SQLException {
    return promoteWaiting(queueCap, Integer.MAX_VALUE);
  }

  /**
   * Moves waiting items to received while there is room under the cap and under each camera's
   * {@code cameraCap}; returns how many moved.
   */
  public int promoteWaiting(int queueCap, int cameraCap) throws SQLException {
    return db.inTransaction(c -> {
      long room = queueCap - countActive(c);
      if (room <= 0) {
        return 0;
      }
      Map<String, Long> perCamera = new java.util.HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT camera, count(*) FROM media WHERE "
          + "state IN ('received','staging','staged','uploading') GROUP BY camera");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          perCamera.put(rs.getString(1), rs.getLong(2));
        }
      }
      List<String> ids = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT media_id, camera FROM media WHERE state='waiting' "
          + "ORDER BY priority, rowid LIMIT ?")) {
        s.setLong(1, Math.min(room, 500) * 4);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next() && ids.size() < room) {
            long n = perCamera.getOrDefault(rs.getString(2), 0L);
            if (n < cameraCap) {
              perCamera.put(rs.getString(2), n + 1);
              ids.add(rs.getString(1));
            }
          }
        }
      }
      for (String id : ids) {
        setState(c, id, ItemState.RECEIVED);
      }
      return ids.size();
    });
  }

  public long countWaiting() throws SQLException {
    return db.read(c -> scalar(c, "SELECT count(*) FROM media WHERE state='waiting'"));
  }

  /** After a crash nothing is in flight: what was being pulled or uploaded is due again. */
  public int resetInFlight() throws SQLException {
    return db.inTransaction(c -> {
      int n = update(c, "UPDATE media SET state='received' WHERE state='staging'");
      return n + update(c, "UPDATE media SET state='staged' WHERE state='uploading'");
    });
  }

  /** Claims the most important item due for pulling (snapshots first, FIFO within a level). */
  public Optional<MediaItem> claimForStaging(long now) throws SQLException {
    return claim(now, "state='received' AND next_attempt_at<=?", ItemState.STAGING, false);
  }

  /** Claims the most important staged item due for upload. */
  public Optional<MediaItem> claimForUpload(long now) throws SQLException {
    return claim(now, "state='staged' AND next_attempt_at<=? AND eligible_at<=?", ItemState.UPLOADING, true);
  }

  private Optional<MediaItem> claim(long now, String where, ItemState to, boolean twice)
      throws SQLException {
    return db.inTransaction(c -> {
      MediaItem item;
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM media WHERE " + where
          + " ORDER BY priority, rowid LIMIT 1")) {
        s.setLong(1, now);
        if (twice) {
          s.setLong(2, now);
        }
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          item = map(rs);
        }
      }
      setState(c, item.mediaId(), to);
      return Optional.of(item);
    });
  }

  /** The next time (epoch ms) any pull or upload becomes due, or empty. */
  public Optional<Long> nextDue() throws SQLException {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT min(max(next_attempt_at, "
          + "CASE WHEN state='staged' THEN eligible_at ELSE 0 END)) FROM media "
          + "WHERE state IN ('received','staged')");
          ResultSet rs = s.executeQuery()) {
        long v = rs.next() ? rs.getLong(1) : 0;
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
      }
    });
  }

  public void markStaged(String mediaId, String stagedPath, long now, List<OutboxMessage> messages)
      throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE media SET state='staged', staged_path=?, "
          + "staged_at=?, attempts=0, next_attempt_at=0, last_error=NULL WHERE media_id=?")) {
        s.setString(1, stagedPath);
        s.setLong(2, now);
        s.setString(3, mediaId);
        s.executeUpdate();
      }
      addOutbox(c, messages);
      return null;
    });
  }

  /** Returns the item to {@code state} with one more attempt counted and the next try at {@code nextAt}. */
  public void retryLater(String mediaId, ItemState state, String error, long nextAt, boolean countAttempt)
      throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE media SET state=?, last_error=?, "
          + "next_attempt_at=?, attempts=attempts+? WHERE media_id=?")) {
        s.setString(1, state.db());
        s.setString(2, clip(error));
        s.setLong(3, nextAt);
        s.setInt(4, countAttempt ? 1 : 0);
        s.setString(5, mediaId);
        s.executeUpdate();
      }
      return null;
    });
  }

  public void markFailed(String mediaId, String error, List<OutboxMessage> messages) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE media SET state='failed', last_error=?, "
          + "attempts=attempts+1 WHERE media_id=?")) {
        s.setString(1, clip(error));
        s.setString(2, mediaId);
        s.executeUpdate();
      }
      addOutbox(c, messages);
      return null;
    });
  }

  public void saveUploadSession(String mediaId, String backend, String session) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE media SET backend=?, upload_session=? WHERE media_id=?")) {
        s.setString(1, backend);
        s.setString(2, session);
        s.setString(3, mediaId);
        s.executeUpdate();
      }
      return null;
    });
  }

  public void markUploaded(String mediaId, String backend, String remoteId, long ciphertextSize, long now,
      List<OutboxMessage> messages) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE media SET state='uploaded', backend=?, "
          + "remote_id=?, ciphertext_size=?, uploaded_at=?, upload_session=NULL, last_error=NULL "
          + "WHERE media_id=?")) {
        s.setString(1, backend);
        s.setString(2, remoteId);
        s.setLong(3, ciphertextSize);
        s.setLong(4, now);
        s.setString(5, mediaId);
        s.executeUpdate();
      }
      addOutbox(c, messages);
      return null;
    });
  }

  /** Makes every staged item eligible now (manual schedule, {@code upload_now}); returns how many. */
  public int releaseAll(long now) throws SQLException {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE media SET eligible_at=? WHERE state='staged' AND eligible_at>?")) {
        s.setLong(1, now);
        s.setLong(2, now);
        return s.executeUpdate();
      }
    });
  }

  /** Puts permanently failed items back into the queue with fresh attempts; returns how many. */
  public int retryFailed() throws SQLException {
    return db.inTransaction(c -> update(c, "UPDATE media SET state=CASE WHEN staged_path IS NULL "
        + "THEN 'received' ELSE 'staged' END, attempts=0, next_attempt_at=0 WHERE state='failed'"));
  }

  /** Gives staged items recorded under another schedule the eligibility the new one implies. */
  public int reschedule(long eligibleAt) throws SQLException {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE media SET eligible_at=? WHERE state='staged' AND kind='clip'")) {
        s.setLong(1, eligibleAt);
        return s.executeUpdate();
      }
    });
  }

  /**
   * Clears the queue of pending uploads; returns the items removed. Without {@code discard} only
   * items never staged are dropped (they are still on their camera) and staged media is kept.
   */
  public List<MediaItem> clearQueue(boolean discard) throws SQLException {
    return db.inTransaction(c -> {
      String where = discard ? "state IN ('received','waiting','staged','failed')"
          : "state IN ('received','waiting')";
      List<MediaItem> items = select(c, "SELECT " + COLUMNS + " FROM media WHERE " + where);
      update(c, "UPDATE media SET state='discarded' WHERE " + where);
      return items;
    });
  }

  /** Items uploaded before {@code before} whose plaintext is still in staging. */
  public List<MediaItem> stagedCopiesUploadedBefore(long before) throws SQLException {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM media WHERE "
          + "staged_path IS NOT NULL AND state IN ('uploaded','discarded') AND coalesce(uploaded_at,0)<? LIMIT 500")) {
        s.setLong(1, before);
        return list(s);
      }
    });
  }

  public void clearStagedPath(String mediaId) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE media SET staged_path=NULL WHERE media_id=?")) {
        s.setString(1, mediaId);
        s.executeUpdate();
      }
      return null;
    });
  }

  public Optional<MediaItem> find(String mediaId) throws SQLException {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM media WHERE media_id=?")) {
        s.setString(1, mediaId);
        List<MediaItem> l = list(s);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
      }
    });
  }

  /** Items in queue order, optionally only those in {@code state}. */
  public List<MediaItem> list(Optional<ItemState> state, int limit) throws SQLException {
    return db.read(c -> {
      String where = state.isPresent() ? " WHERE state=?" : "";
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM media" + where
          + " ORDER BY CASE WHEN state IN ('uploaded','discarded','failed') THEN 1 ELSE 0 END, priority, rowid LIMIT ?")) {
        int i = 1;
        if (state.isPresent()) {
          s.setString(i++, state.get().db());
        }
        s.setInt(i, limit);
        return list(s);
      }
    });
  }

  /** Item counts per state. */
  public Map<String, Long> countByState() throws SQLException {
    return db.read(c -> {
      Map<String, Long> m = new LinkedHashMap<>();
      for (ItemState st : ItemState.values()) {
        m.put(st.db(), 0L);
      }
      try (PreparedStatement s = c.prepareStatement("SELECT state, count(*) FROM media GROUP BY state");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getLong(2));
        }
      }
      return m;
    });
  }

  /** Counts of items still to upload, per priority level. */
  public Map<Integer, Long> queuedByPriority() throws SQLException {
    return db.read(c -> {
      Map<Integer, Long> m = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT priority, count(*) FROM media WHERE state IN "
          + "('received','waiting','staging','staged','uploading') GROUP BY priority ORDER BY priority");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getInt(1), rs.getLong(2));
        }
      }
      return m;
    });
  }

  /** Totals for statistics: uploaded count and bytes, staged bytes, failures. */
  public Map<String, Long> totals() throws SQLException {
    return db.read(c -> {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("uploaded", scalar(c, "SELECT count(*) FROM media WHERE state='uploaded'"));
      m.put("bytesIn", scalar(c, "SELECT coalesce(sum(size),0) FROM media WHERE state IN "
          + "('staged','uploading','uploaded')"));
      m.put("bytesOut", scalar(c, "SELECT coalesce(sum(ciphertext_size),0) FROM media WHERE state='uploaded'"));
      m.put("failed", scalar(c, "SELECT count(*) FROM media WHERE state='failed'"));
      m.put("retrying", scalar(c, "SELECT count(*) FROM media WHERE attempts>0 AND state IN ('received','staged')"));
      return m;
    });
  }

  // ---- outbox

  public void addOutbox(List<OutboxMessage> messages) throws SQLException {
    db.inTransaction(c -> {
      addOutbox(c, messages);
      return null;
    });
  }

  private static void addOutbox(Connection c, List<OutboxMessage> messages) throws SQLException {
    if (messages.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO outbox (topic, payload, retained) VALUES (?,?,?)")) {
      for (OutboxMessage m : messages) {
        s.setString(1, m.topic());
        s.setBytes(2, m.payload());
        s.setInt(3, m.retained() ? 1 : 0);
        s.executeUpdate();
      }
    }
  }

  public List<OutboxMessage> outbox(int limit) throws SQLException {
    return db.read(c -> {
      List<OutboxMessage> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT seq, topic, payload, retained FROM outbox ORDER BY seq LIMIT ?")) {
        s.setInt(1, limit);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new OutboxMessage(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getInt(4) == 1));
          }
        }
      }
      return out;
    });
  }

  public void deleteOutbox(long seq) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM outbox WHERE seq=?")) {
        s.setLong(1, seq);
        s.executeUpdate();
      }
      return null;
    });
  }

  // ---- settings and commands

  public Map<String, String> settings() throws SQLException {
    return db.read(c -> {
      Map<String, String> m = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT name, value FROM settings");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getString(2));
        }
      }
      return m;
    });
  }

  /** Stores settings, marks the command answered and queues its reply, all in one transaction. */
  public void saveSettings(Map<String, String> values) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO settings (name, value) VALUES (?,?) ON CONFLICT(name) DO UPDATE SET value=excluded.value")) {
        for (var e : values.entrySet()) {
          s.setString(1, e.getKey());
          s.setString(2, e.getValue());
          s.executeUpdate();
        }
      }
      return null;
    });
  }

  public boolean commandSeen(String commandId) throws SQLException {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM commands_seen WHERE command_id=?")) {
        s.setString(1, commandId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** Marks a command answered and queues its reply in one transaction. */
  public void commandDone(String commandId, long now, OutboxMessage reply) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT OR IGNORE INTO commands_seen (command_id, seen_at) VALUES (?,?)")) {
        s.setString(1, commandId);
        s.setLong(2, now);
        s.executeUpdate();
      }
      addOutbox(c, List.of(reply));
      return null;
    });
  }

  // ---- helpers

  private static List<MediaItem> select(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      return list(s);
    }
  }

  private static List<MediaItem> list(PreparedStatement s) throws SQLException {
    List<MediaItem> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(map(rs));
      }
    }
    return out;
  }

  private static MediaItem map(ResultSet rs) throws SQLException {
    long ct = rs.getLong("ciphertext_size");
    Long ciphertext = rs.wasNull() ? null : ct;
    long up = rs.getLong("uploaded_at");
    Long uploadedAt = rs.wasNull() ? null : up;
    return new MediaItem(rs.getString("media_id"), rs.getString("camera"), rs.getString("event_id"),
        MediaKind.valueOf(rs.getString("kind").toUpperCase()), rs.getString("path"), rs.getString("url"),
        rs.getString("sha256"), rs.getLong("size"), rs.getString("content_type"),
        Instant.parse(rs.getString("media_start")), rs.getLong("received_at"), rs.getInt("priority"),
        ItemState.fromDb(rs.getString("state")), rs.getInt("attempts"), rs.getLong("next_attempt_at"),
        rs.getLong("eligible_at"), rs.getString("last_error"), rs.getString("staged_path"),
        rs.getString("backend"), rs.getString("remote_id"), rs.getString("upload_session"), ciphertext,
        uploadedAt);
  }

  private static void setState(Connection c, String mediaId, ItemState state) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE media SET state=? WHERE media_id=?")) {
      s.setString(1, state.db());
      s.setString(2, mediaId);
      s.executeUpdate();
    }
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      return s.executeUpdate();
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static String clip(String s) {
    if (s == null) {
      return null;
    }
    if (s.length() > 500) {
      Log.debugf("error text clipped from %d characters", s.length());
      return s.substring(0, 500);
    }
    return s;
  }
}
