package org.mecam.webui.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mecam.secrets.SecretFiles;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.store.WebUiDatabase;

/**
 * The household's accounts: the first owner is created once (first-run setup or bootstrap
 * configuration); owners then add and remove users, each an owner or a viewer. Roles are mirrored in
 * memory so the access filter never blocks.
 */
@ApplicationScoped
public class Accounts {
  /** What a user may do: owners everything, viewers look, play and arm but change no settings. */
  public enum Role {
    OWNER, VIEWER;

    public String db() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The role named {@code text} ("owner"/"viewer"), or null. */
    public static Role parse(String text) {
      for (Role r : values()) {
        if (r.db().equals(text)) {
          return r;
        }
      }
      return null;
    }
  }

  /** A user as listed to owners. */
  public record UserInfo(String username, String role, java.time.Instant createdAt) {}

  /** A change to the accounts that cannot be made, with the reason. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  /** Long enough to resist guessing with throttling in place; no composition rules (NIST 800-63B). */
  public static final int MIN_PASSWORD = 10;

  private final WebUiDatabase db;
  private final Clock clock;
  private final WebUiConfig config;
  private final KdfGate gate;
  private volatile boolean ownerExists;
  private final java.util.Map<String, Role> roles = new java.util.concurrent.ConcurrentHashMap<>();

  public Accounts(WebUiDatabase db, Clock clock, WebUiConfig config, KdfGate gate) {
    this.db = db;
    this.clock = clock;
    this.config = config;
    this.gate = gate;
    loadRoles();
    this.ownerExists = !roles.isEmpty();
  }

  private void loadRoles() {
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT username, role FROM app_user");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Role r = Role.parse(rs.getString(2));
          roles.put(rs.getString(1), r == null ? Role.VIEWER : r);
        }
      }
      return null;
    });
  }

  /** The user's role, or null when there is no such user (any more). */
  public Role role(String username) {
    return username == null ? null : roles.get(username);
  }

  public List<UserInfo> list() {
    return db.read(c -> {
      List<UserInfo> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT username, role, created_at FROM app_user ORDER BY created_at, username");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new UserInfo(rs.getString(1), rs.getString(2), java.time.Instant.ofEpochMilli(rs.getLong(3))));
        }
      }
      return out;
    });
  }

  /** Adds a household user; refused when the name is taken. */
  public synchronized UserInfo addUser(String username, char[] password, Role role) {
    String hash = gate.run(() -> PasswordHasher.hash(password));
    long now = clock.millis();
    boolean added = db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM app_user WHERE username = ?")) {
        s.setString(1, username);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO app_user (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
        s.setString(1, username);
        s.setString(2, hash);
        s.setString(3, role.db());
        s.setLong(4, now);
        s.executeUpdate();
      }
      return true;
    });
    if (!added) {
      throw new Refused("a user named '" + username + "' exists already");
    }
    roles.put(username, role);
    return new UserInfo(username, role.db(), java.time.Instant.ofEpochMilli(now));
  }

  /** Removes a user; refused for the last owner. The caller ends the user's sessions and tokens. */
  public synchronized boolean removeUser(String username) {
    Role role = roles.get(username);
    if (role == null) {
      return false;
    }
    if (role == Role.OWNER && roles.values().stream().filter(r -> r == Role.OWNER).count() <= 1) {
      throw new Refused("'" + username + "' is the last owner and cannot be removed");
    }
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM app_user WHERE username = ?")) {
        s.setString(1, username);
        s.executeUpdate();
      }
      return null;
    });
    roles.remove(username);
    return true;
  }

  void bootstrap(@Observes StartupEvent event) {
    if (config.bootstrapAdminUser().isEmpty()) {
      return;
    }
    if (config.bootstrapAdminPasswordFile().isEmpty()) {
      throw new IllegalStateException(
          "mecam.webui.bootstrap-admin-user is set but mecam.webui.bootstrap-admin-password-file is not");
    }
    if (ownerExists) {
      Log.debug("an owner exists already; bootstrap account not needed");
      return;
    }
    String user = config.bootstrapAdminUser().get();
    String password = SecretFiles.read(config.bootstrapAdminPasswordFile().get(), "bootstrap admin password");
    String problem = problem(user, password);
    if (problem != null) {
      throw new IllegalStateException("bootstrap owner: " + problem);
    }
    createOwner(user, password.toCharArray());
    Log.infof("owner account '%s' created from the bootstrap configuration", user);
  }

  public boolean ownerExists() {
    return ownerExists;
  }

  /** Why this user name and password cannot be used, or null. */
  public static String problem(String username, String password) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      return "the user name must be 1-64 letters, digits or . _ @ -";
    }
    if (password == null || password.length() < MIN_PASSWORD) {
      return "the password must be at least " + MIN_PASSWORD + " characters long";
    }
    if (password.length() > 1024) {
      return "the password must be at most 1024 characters long";
    }
    return null;
  }

  /** Creates the owner if none exists yet; returns false when one already does (setup ran before). */
  public synchronized boolean createOwner(String username, char[] password) {
    String hash = PasswordHasher.hash(password);
    boolean created = db.inTransaction(c -> {
      try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM app_user");
          ResultSet rs = count.executeQuery()) {
        if (rs.next() && rs.getInt(1) > 0) {
          return false;
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO app_user (username, password_hash, role, created_at) VALUES (?, ?, 'owner', ?)")) {
        s.setString(1, username);
        s.setString(2, hash);
        s.setLong(3, clock.millis());
        s.executeUpdate();
      }
      return true;
    });
    if (created) {
      roles.put(username, Role.OWNER);
    }
    ownerExists = true;
    return created;
  }

  /**
   * Checks a password; runs the KDF even for unknown users so timing does not reveal names. At most
   * {@code login-hash-concurrency} run at once ({@link KdfGate.Busy} beyond).
   */
  public boolean verify(String username, char[] password) {
    Optional<String> stored = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT password_hash FROM app_user WHERE username = ?")) {
        s.setString(1, username);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
    if (stored.isEmpty()) {
      gate.run(() -> PasswordHasher.hash(password));
      return false;
    }
    return gate.run(() -> PasswordHasher.verify(password, stored.get()));
  }

  /** Sets a user's password (the caller checked who may); false when there is no such user. */
  public boolean changePassword(String username, char[] password) {
    String hash = gate.run(() -> PasswordHasher.hash(password));
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE app_user SET password_hash = ? WHERE username = ?")) {
        s.setString(1, hash);
        s.setString(2, username);
        return s.executeUpdate() == 1;
      }
    });
  }
}
