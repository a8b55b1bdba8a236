package org.mecam.webui.security;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  public Created create(String username) {
    String secret = SecretFiles.randomToken(32);
    long now = clock.millis();
    Session session = new Session(Hashes.sha256(secret), username, SecretFiles.randomToken(24),
        now + idle.toMillis());
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO session (token_hash, username, csrf_token, created_at, last_seen_at, expires_at)
          VALUES (?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, session.tokenHash());
        s.setString(2, username);
        s.setString(3, session.csrfToken());
        s.setLong(4, now);
        s.setLong(5, now);
        s.setLong(6, session.expiresAt());
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
      byHash.remove(hash);
      return null;
    }
    Session renewed = new Session(s.tokenHash(), s.username(), s.csrfToken(), now + idle.toMillis());
    byHash.put(hash, renewed);
    touched.put(hash, now);
    return renewed;
  }

  public void delete(String tokenHash) {
    byHash.remove(tokenHash);
    touched.remove(tokenHash);
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM session WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        s.executeUpdate();
      }
      return null;
    });
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
    byHash.values().removeIf(s -> s.expiresAt() <= now);
  }
}
