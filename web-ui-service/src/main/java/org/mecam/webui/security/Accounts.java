package org.mecam.webui.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.store.WebUiDatabase;

/** The user accounts: the owner is created once (first-run setup or bootstrap configuration). */
@ApplicationScoped
public class Accounts {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  /** Long enough to resist guessing with throttling in place; no composition rules (NIST 800-63B). */
  public static final int MIN_PASSWORD = 10;

  private final WebUiDatabase db;
  private final Clock clock;
  private final WebUiConfig config;
  private volatile boolean ownerExists;

  public Accounts(WebUiDatabase db, Clock clock, WebUiConfig config) {
    this.db = db;
    this.clock = clock;
    this.config = config;
    this.ownerExists = countUsers() > 0;
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
    ownerExists = true;
    return created;
  }

  /** Checks a password; runs the KDF even for unknown users so timing does not reveal names. */
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
      PasswordHasher.hash(password);
      return false;
    }
    return PasswordHasher.verify(password, stored.get());
  }

  public void changePassword(String username, char[] password) {
    String hash = PasswordHasher.hash(password);
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE app_user SET password_hash = ? WHERE username = ?")) {
        s.setString(1, hash);
        s.setString(2, username);
        s.executeUpdate();
      }
      return null;
    });
  }

  private int countUsers() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM app_user");
          ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
  }
}
