package org.mecam.webui.security;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.codec.binary.Base32;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;
import org.mecam.webui.store.WebUiDatabase;

/**
 * The optional second login factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps, as every
 * authenticator app and {@code oathtool --totp} use), computed by the {@code java-otp} library, with
 * one-time recovery codes. A code is accepted for the current step or one step either side, and each
 * step at most once per user (replays are refused). Enrolment is two-step: a new secret is kept pending
 * in memory until the user proves their app has it by entering a code.
 */
@ApplicationScoped
public class SecondFactor {
  static final Duration STEP = Duration.ofSeconds(30);
  static final int DIGITS = 6;
  static final int RECOVERY_CODES = 10;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new secret to put into the authenticator app. */
  public record Enrolment(String secret, String uri) {}

  private final WebUiDatabase db;
  private final Clock clock;
  private final TimeBasedOneTimePasswordGenerator totp;
  private final Map<String, String> pending = new ConcurrentHashMap<>();

  public SecondFactor(WebUiDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.totp = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS,
        TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
  }

  /** Whether this user must give a code at login. */
  public boolean enabled(String username) {
    return secret(username).isPresent();
  }

  /** How many unused recovery codes this user has left. */
  public int recoveryCodesLeft(String username) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT count(*) FROM recovery_code WHERE username = ? AND used_at IS NULL")) {
        s.setString(1, username);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
  }

  /** Starts enrolment: a fresh secret (160 bits), pending until {@link #confirm}. */
  public Enrolment begin(String username, String issuer) {
    byte[] key = new byte[20];
    RANDOM.nextBytes(key);
    String secret = base32(key);
    pending.put(username, secret);
    String label = URLEncoder.encode(issuer + ":" + username, StandardCharsets.UTF_8).replace("+", "%20");
    String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer="
        + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20") + "&algorithm=SHA1&digits=" + DIGITS
        + "&period=" + STEP.toSeconds();
    return new Enrolment(secret, uri);
  }

  /**
   * Finishes enrolment when {@code code} matches the pending secret: the factor is on, and the returned
   * recovery codes (shown once) replace any earlier ones. Empty when the code is wrong or nothing is pending.
   */
  public Optional<List<String>> confirm(String username, String code) {
    String secret = pending.get(username);
    if (secret == null) {
      return Optional.empty();
    }
    long step = matchingStep(secret, code);
    if (step < 0) {
      return Optional.empty();
    }
    pending.remove(username, secret);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < RECOVERY_CODES; i++) {
      byte[] raw = new byte[10];
      RANDOM.nextBytes(raw);
      String c = base32(raw).toLowerCase(Locale.ROOT);
      codes.add(c.substring(0, 4) + "-" + c.substring(4, 8) + "-" + c.substring(8, 12) + "-" + c.substring(12, 16));
    }
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE app_user SET totp_secret = ?, totp_last_step = ? WHERE username = ?")) {
        s.setString(1, secret);
        s.setLong(2, step);
        s.setString(3, username);
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM recovery_code WHERE username = ?")) {
        s.setString(1, username);
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO recovery_code (username, code_hash) VALUES (?, ?)")) {
        for (String code1 : codes) {
          s.setString(1, username);
          s.setString(2, Hashes.sha256(normalise(code1)));
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
    return Optional.of(codes);
  }

  /** Turns the factor off (and forgets the recovery codes). */
  public void disable(String username) {
    pending.remove(username);
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE app_user SET totp_secret = NULL, totp_last_step = NULL WHERE username = ?")) {
        s.setString(1, username);
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM recovery_code WHERE username = ?")) {
        s.setString(1, username);
        s.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Checks a login's code: a TOTP code not used before (its step is recorded, atomically, so the same
   * code cannot log in twice, even in parallel), or an unused recovery code (then used up).
   */
  public boolean check(String username, String code) {
    if (code == null || code.isBlank() || code.length() > 64) {
      return false;
    }
    String given = code.strip();
    Optional<String> secret = secret(username);
    if (secret.isEmpty()) {
      return false;
    }
    if (given.matches("[0-9]{" + DIGITS + "}")) {
      long step = matchingStep(secret.get(), given);
      if (step < 0) {
        return false;
      }
      int updated = db.inTransaction(c -> {
        try (PreparedStatement s = c.prepareStatement("UPDATE app_user SET totp_last_step = ? WHERE username = ?"
            + " AND (totp_last_step IS NULL OR totp_last_step < ?)")) {
          s.setLong(1, step);
          s.setString(2, username);
          s.setLong(3, step);
          return s.executeUpdate();
        }
      });
      return updated == 1;
    }
    String hash = Hashes.sha256(normalise(given));
    int used = db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE recovery_code SET used_at = ? WHERE username = ?"
          + " AND code_hash = ? AND used_at IS NULL")) {
        s.setLong(1, clock.millis());
        s.setString(2, username);
        s.setString(3, hash);
        return s.executeUpdate();
      }
    });
    return used == 1;
  }

  private Optional<String> secret(String username) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT totp_secret FROM app_user WHERE username = ?")) {
        s.setString(1, username);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** The time step (now, one before or one after) whose code this is, or -1. */
  long matchingStep(String secret, String code) {
    if (code == null || !code.strip().matches("[0-9]{" + DIGITS + "}")) {
      return -1;
    }
    int wanted = Integer.parseInt(code.strip());
    SecretKeySpec key = new SecretKeySpec(unbase32(secret), "HmacSHA1");
    Instant now = clock.instant();
    long current = now.getEpochSecond() / STEP.toSeconds();
    for (long step = current - 1; step <= current + 1; step++) {
      try {
        if (totp.generateOneTimePassword(key, Instant.ofEpochSecond(step * STEP.toSeconds())) == wanted) {
          return step;
        }
      } catch (InvalidKeyException e) {
        throw new IllegalStateException(e);
      }
    }
    return -1;
  }

  private static String normalise(String recoveryCode) {
    return recoveryCode.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
  }

  /** RFC 4648 base32 without padding, as authenticator apps and {@code oathtool} take a secret. */
  static String base32(byte[] data) {
    return new Base32().encodeToString(data).replace("=", "");
  }

  /** The inverse of {@link #base32}; refuses any character outside the RFC 4648 alphabet. */
  static byte[] unbase32(String text) {
    String s = text.toUpperCase(Locale.ROOT).replace("=", "");
    for (char ch : s.toCharArray()) {
      if (BASE32.indexOf(ch) < 0) {
        throw new IllegalArgumentException("not base32");
      }
    }
    return new Base32().decode(s);
  }
}
