package org.mecam.webui.security;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow.Processor;
import org.mecam.secrets.SecretFiles;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.store.WebUiDatabase;

/**
 * Server-side login sessions kept in SQLite (so they survive a restart) and mirrored in memory so
 * the access filter never blocks; the cookie carries a random secret, the database only its hash.
 */
@ApplicationScoped
public class Sessions {
  /** A live session: who, its CSRF token, and when it lapses without use. */
  public record Session(String tokenHash, String username, String csrfToken, long expiresAt) {}

  /** The secret for the cookie and the session it opens. */
  public record Created(String cookieValue, Session session) {}

  private final WebUiDatabase db;
  private final Clock clock;
  private final Duration idle;
  private final Map<String, Session> byHash = new ConcurrentHashMap<>();
  private final Map<String, Long> touched = new ConcurrentHashMap<>();
  /** Token hashes of sessions that just ended (logout, deletion or expiry), for open live streams. */
  private final BroadcastProcessor<String> ended = BroadcastProcessor.create();
  private final Processor<String, String> endedSerialized = ended.serialized();

  /** The key of a session's per-login state ({@link Caller#credential()}). */
  public static String credential(String tokenHash) {
    return "session:" + tokenHash;
  }

  public Sessions(WebUiDatabase db, Clock clock, WebUiConfig config) {
    this.db = db;
    this.clock = clock;
    this.idle = config.sessionIdleTimeout();
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT token_hash, username, csrf_token, expires_at FROM session WHERE expires_at > ?")) {
        s.setLong(1, clock.millis());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            Session session = new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
            byHash.put(session.tokenHash(), session);
          }
        }
      }
      return null;
    });
  }

  /** One of a user's sessions as they see it listed: a public id (not the secret), when and where. */
  public record SessionInfo(String id, java.time.Instant createdAt, java.time.Instant lastSeenAt,
      java.time.Instant expiresAt, String userAgent, String address, boolean current) {}

  /** The id a session is listed and ended by (derived from the hash; reveals nothing usable). */
  public static String publicId(String tokenHash) {
    return Hashes.sha256("session-id:" + tokenHash).substring(0, 24);
  }

  public Created create(String username) {
    return create(username, null, null);
  }

  /** Opens a session, remembering the browser and address it came from (shown in the user's list). */
  public Created create(String username, String userAgent, String address) {
    String secret = SecretFiles.randomToken(32);
    long now = clock.millis();
    Session session = new Session(Hashes.sha256(secret), username, SecretFiles.randomToken(24),
        now + idle.toMillis());
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO session (token_hash, username, csrf_token, created_at, last_seen_at, expires_at,
            user_agent, address)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, session.tokenHash());
        s.setString(2, username);
        s.setString(3, session.csrfToken());
        s.setLong(4, now);
        s.setLong(5, now);
        s.setLong(6, session.expiresAt());
        s.setString(7, userAgent == null ? null : userAgent.substring(0, Math.min(200, userAgent.length())));
        s.setString(8, address);
        s.executeUpdate();
      }
      return null;
    });
    byHash.put(session.tokenHash(), session);
    return new Created(secret, session);
  }

  /** The live session for a cookie value, sliding its expiry forward; null when unknown or expired. */
  public Session find(String cookieValue) {
    if (cookieValue == null || cookieValue.length() > 200) {
      return null;
    }
    String hash = Hashes.sha256(cookieValue);
    Session s = byHash.get(hash);
    long now = clock.millis();
    if (s == null) {
      return null;
    }
    if (s.expiresAt() <= now) {
      if (byHash.remove(hash, s)) {
        endedSerialized.onNext(hash);
      }
      return null;
    }
    Session renewed = new Session(s.tokenHash(), s.username(), s.csrfToken(), now + idle.toMillis());
    byHash.put(hash, renewed);
    touched.put(hash, now);
    return renewed;
  }

  /** Whether the session is live now (without sliding its expiry, unlike {@link #find}). */
  public boolean live(String tokenHash) {
    Session s = tokenHash == null ? null : byHash.get(tokenHash);
    return s != null && s.expiresAt() > clock.millis();
  }

  /** Token hashes of sessions as they end (logout, deletion, expiry); never completes. */
  public Multi<String> ended() {
    return ended;
  }

  public void delete(String tokenHash) {
    byHash.remove(tokenHash);
    touched.remove(tokenHash);
    endedSerialized.onNext(tokenHash);
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM session WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        s.executeUpdate();
      }
      return null;
    });
  }

  /** The user's live sessions, newest first; {@code currentHash} marks the one asking. */
  public java.util.List<SessionInfo> list(String username, String currentHash) {
    java.util.List<SessionInfo> out = db.read(c -> {
      java.util.List<SessionInfo> rows = new java.util.ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT token_hash, created_at, last_seen_at, user_agent, address"
          + " FROM session WHERE username = ? ORDER BY created_at DESC")) {
        s.setString(1, username);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String hash = rs.getString(1);
            Session live = byHash.get(hash);
            if (live == null || live.expiresAt() <= clock.millis()) {
              continue;
            }
            long seen = Math.max(rs.getLong(3), touched.getOrDefault(hash, 0L));
            rows.add(new SessionInfo(publicId(hash), java.time.Instant.ofEpochMilli(rs.getLong(2)),
                java.time.Instant.ofEpochMilli(seen), java.time.Instant.ofEpochMilli(live.expiresAt()),
                rs.getString(4), rs.getString(5), hash.equals(currentHash)));
          }
        }
      }
      return rows;
    });
    return out;
  }

  /** Ends the user's session with this public id; false when they have none such. */
  public boolean endOwn(String username, String publicId) {
    for (Session s : byHash.values()) {
      if (s.username().equals(username) && publicId(s.tokenHash()).equals(publicId)) {
        delete(s.tokenHash());
        return true;
      }
    }
    return false;
  }

  /** Ends every session of a user except {@code keepHash} (after a password change). */
  public void deleteAllOfExcept(String username, String keepHash) {
    for (Session s : byHash.values()) {
      if (s.username().equals(username) && !s.tokenHash().equals(keepHash)) {
        delete(s.tokenHash());
      }
    }
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM session WHERE username = ? AND token_hash <> ?")) {
        s.setString(1, username);
        s.setString(2, keepHash == null ? "" : keepHash);
        s.executeUpdate();
      }
      return null;
    });
  }

  /** Ends every session of a user (the user was removed); their live streams close. */
  public void deleteAllOf(String username) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM session WHERE username = ?")) {
        s.setString(1, username);
        s.executeUpdate();
      }
      return null;
    });
    for (Session s : byHash.values()) {
      if (s.username().equals(username) && byHash.remove(s.tokenHash(), s)) {
        touched.remove(s.tokenHash());
        endedSerialized.onNext(s.tokenHash());
      }
    }
  }

  /** Writes sliding expiries to the database and drops lapsed sessions, once a minute. */
  @Scheduled(every = "60s", delayed = "60s")
  void persistActivity() {
    long now = clock.millis();
    Map<String, Long> batch = Map.copyOf(touched);
    batch.keySet().forEach(touched::remove);
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE session SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?")) {
        for (var e : batch.entrySet()) {
          s.setLong(1, e.getValue());
          s.setLong(2, e.getValue() + idle.toMillis());
          s.setString(3, e.getKey());
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM session WHERE expires_at <= ?")) {
        s.setLong(1, now);
        s.executeUpdate();
      }
      return null;
    });
    dropLapsed();
  }

  /** Ends lapsed sessions in memory every few seconds, so their live streams close soon after. */
  @Scheduled(every = "5s", delayed = "5s")
  void dropLapsed() {
    long now = clock.millis();
    for (Session s : byHash.values()) {
      if (s.expiresAt() <= now && byHash.remove(s.tokenHash(), s)) {
        touched.remove(s.tokenHash());
        endedSerialized.onNext(s.tokenHash());
      }
    }
  }
}
