package org.mecam.webui.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow.Processor;
import org.mecam.events.Ids;
import org.mecam.secrets.SecretFiles;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.store.WebUiDatabase;

/**
 * API tokens for programs ({@code Authorization: Bearer <token>}): made in the UI or read from
 * {@code mecam.webui.api-token-file}; only SHA-256 hashes are stored, mirrored in memory.
 */
@ApplicationScoped
public class ApiTokens {
  /** What the UI lists about a token; the secret itself is shown once, at creation. */
  public record TokenInfo(String id, String name, String username, Instant createdAt) {}

  /** A newly created token with its secret. */
  public record NewToken(TokenInfo info, String token) {}

  static final String PREFIX = "mecam_";

  private final WebUiDatabase db;
  private final Clock clock;
  private final WebUiConfig config;
  private final Accounts accounts;
  private final Map<String, TokenInfo> byHash = new ConcurrentHashMap<>();
  /** Ids of tokens as they are revoked, for open live streams and per-login state. */
  private final BroadcastProcessor<String> revoked = BroadcastProcessor.create();
  private final Processor<String, String> revokedSerialized = revoked.serialized();

  /** The key of a token's per-login state ({@link Caller#credential()}). */
  public static String credential(String tokenId) {
    return "token:" + tokenId;
  }

  public ApiTokens(WebUiDatabase db, Clock clock, WebUiConfig config, Accounts accounts) {
    this.db = db;
    this.clock = clock;
    this.config = config;
    this.accounts = accounts;
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, name, username, created_at, token_hash FROM api_token");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          byHash.put(rs.getString(5), new TokenInfo(rs.getString(1), rs.getString(2), rs.getString(3),
              Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
      return null;
    });
  }

  /** Runs after {@link Accounts#bootstrap}: the file's token belongs to the owner. */
  void loadTokenFile(@Observes @jakarta.annotation.Priority(3000) StartupEvent event) {
    if (config.apiTokenFile().isEmpty()) {
      return;
    }
    String token = SecretFiles.readOrCreate(config.apiTokenFile().get(), "API token", () -> PREFIX + SecretFiles.randomToken(32));
    String hash = Hashes.sha256(token);
    if (byHash.containsKey(hash)) {
      return;
    }
    String owner = ownerName();
    if (owner == null) {
      Log.warnf("API token file %s not loaded: no owner account yet", config.apiTokenFile().get());
      return;
    }
    insert("token file", owner, hash);
    Log.infof("API token from %s registered for '%s'", config.apiTokenFile().get(), owner);
  }

  /** The user a bearer token acts for, or null. */
  public TokenInfo find(String token) {
    if (token == null || token.length() > 200) {
      return null;
    }
    return byHash.get(Hashes.sha256(token));
  }

  public NewToken create(String name, String username) {
    String token = PREFIX + SecretFiles.randomToken(32);
    TokenInfo info = insert(name, username, Hashes.sha256(token));
    return new NewToken(info, token);
  }

  public List<TokenInfo> list() {
    List<TokenInfo> out = new ArrayList<>(byHash.values());
    out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    return out;
  }

  public boolean revoke(String id) {
    int n = db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM api_token WHERE id = ?")) {
        s.setString(1, id);
        return s.executeUpdate();
      }
    });
    forget(t -> t.id().equals(id));
    return n > 0;
  }

  /** Ids of tokens as they are revoked (one by one or with their user); never completes. */
  public Multi<String> revoked() {
    return revoked;
  }

  /** Whether the token with this id is still valid. */
  public boolean live(String id) {
    return id != null && byHash.values().stream().anyMatch(t -> t.id().equals(id));
  }

  private void forget(java.util.function.Predicate<TokenInfo> which) {
    for (var e : byHash.entrySet()) {
      if (which.test(e.getValue()) && byHash.remove(e.getKey(), e.getValue())) {
        revokedSerialized.onNext(e.getValue().id());
      }
    }
  }

  /** Revokes every token of a user (the user was removed); returns how many. */
  public int revokeAllOf(String username) {
    int n = db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM api_token WHERE username = ?")) {
        s.setString(1, username);
        return s.executeUpdate();
      }
    });
    forget(t -> t.username().equals(username));
    return n;
  }

  private TokenInfo insert(String name, String username, String hash) {
    TokenInfo info = new TokenInfo(Ids.newId(), name, username, clock.instant());
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO api_token (id, name, token_hash, username, created_at) VALUES (?, ?, ?, ?, ?)""")) {
        s.setString(1, info.id());
        s.setString(2, name);
        s.setString(3, hash);
        s.setString(4, username);
        s.setLong(5, info.createdAt().toEpochMilli());
        s.executeUpdate();
      }
      return null;
    });
    byHash.put(hash, info);
    return info;
  }

  private String ownerName() {
    if (!accounts.ownerExists()) {
      return null;
    }
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT username FROM app_user WHERE role = 'owner' ORDER BY created_at LIMIT 1");
          ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    });
  }

  /** Called when the owner is created by setup, so a configured token file starts working at once. */
  public void ownerCreated() {
    loadTokenFile(null);
  }
}
