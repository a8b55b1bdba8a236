package org.mecam.webui.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.WrongPassphraseException;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.security.ApiTokens;
import org.mecam.webui.security.Sessions;

/**
 * Holds the archive key in memory for the login session (or API token) that unlocked it with the
 * passphrase, for a limited time only: another session, of the same user or another, does not
 * benefit and cannot lock it. The key is destroyed when it expires, when that session locks it, or
 * when the session ends (logout, expiry, removal of the user) or the token is revoked.
 */
@ApplicationScoped
public class ArchiveKey {
  /** The passphrase did not open the key file. */
  public static final class WrongPassphrase extends RuntimeException {
    WrongPassphrase() {
      super("wrong passphrase");
    }
  }

  private record Unlocked(OwnerKeyPair key, Instant expiresAt, String user) {}

  private final Optional<Path> keyFile;
  private final WebUiConfig config;
  private final Clock clock;
  /** Keyed by credential ({@link org.mecam.webui.security.Caller#credential()}). */
  private final Map<String, Unlocked> unlocked = new ConcurrentHashMap<>();

  public ArchiveKey(WebUiConfig config, org.mecam.servicekit.ServiceConfig service, Clock clock, Sessions sessions,
      ApiTokens tokens) {
    this.keyFile = Optional.of(org.mecam.webui.onboarding.ArchiveKeyFiles.ownerKeyFile(config, service));
    this.config = config;
    this.clock = clock;
    sessions.ended().subscribe().with(hash -> lock(Sessions.credential(hash)));
    tokens.revoked().subscribe().with(id -> lock(ApiTokens.credential(id)));
  }

  /** Whether the owner key file exists (made by first-run setup or configured). */
  public boolean configured() {
    return keyFile.isPresent() && java.nio.file.Files.exists(keyFile.get());
  }

  /** Opens the key file for this credential only; returns when the key will be forgotten again. */
  public Instant unlock(char[] passphrase, String credential, String user) throws IOException {
    if (keyFile.isEmpty()) {
      throw new IllegalStateException("no owner key file is configured (mecam.webui.owner-key-file)");
    }
    OwnerKeyPair opened;
    try {
      opened = OwnerKeyFile.unlock(keyFile.get(), passphrase);
    } catch (WrongPassphraseException e) {
      throw new WrongPassphrase();
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    Instant expiresAt = clock.instant().plus(config.archiveUnlockTtl());
    Unlocked previous = unlocked.put(credential, new Unlocked(opened, expiresAt, user));
    if (previous != null) {
      previous.key().destroy();
    }
    Log.infof("archive key unlocked by %s for one session until %s", user, expiresAt);
    return expiresAt;
  }

  /** The key this credential unlocked, or empty when it did not, or it expired. */
  public Optional<OwnerKeyPair> key(String credential) {
    return live(credential).map(Unlocked::key);
  }

  public Optional<Instant> expiresAt(String credential) {
    return live(credential).map(Unlocked::expiresAt);
  }

  /** Forgets the key this credential unlocked (no one else's). */
  public void lock(String credential) {
    if (credential == null) {
      return;
    }
    Unlocked u = unlocked.remove(credential);
    if (u != null) {
      u.key().destroy();
      Log.infof("archive key of one of %s's sessions forgotten", u.user());
    }
  }

  /** How many sessions hold the key now (for tests and the status page). */
  public int holders() {
    expire();
    return unlocked.size();
  }

  private Optional<Unlocked> live(String credential) {
    if (credential == null) {
      return Optional.empty();
    }
    Unlocked u = unlocked.get(credential);
    if (u != null && !clock.instant().isBefore(u.expiresAt())) {
      if (unlocked.remove(credential, u)) {
        u.key().destroy();
      }
      return Optional.empty();
    }
    return Optional.ofNullable(u);
  }

  @Scheduled(every = "30s", delayed = "30s")
  void expire() {
    unlocked.keySet().forEach(this::live);
  }
}
