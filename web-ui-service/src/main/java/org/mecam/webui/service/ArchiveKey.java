package org.mecam.webui.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.WrongPassphraseException;
import org.mecam.webui.config.WebUiConfig;

/**
 * Holds the owner's archive key in memory after the owner unlocked it with the passphrase, for a
 * limited time only; then the key is destroyed and must be unlocked again.
 */
@ApplicationScoped
public class ArchiveKey {
  /** The passphrase did not open the key file. */
  public static final class WrongPassphrase extends RuntimeException {
    WrongPassphrase() {
      super("wrong passphrase");
    }
  }

  private final Optional<Path> keyFile;
  private final WebUiConfig config;
  private final Clock clock;
  private OwnerKeyPair key;
  private Instant expiresAt;

  public ArchiveKey(WebUiConfig config, org.mecam.servicekit.ServiceConfig service, Clock clock) {
    this.keyFile = Optional.of(org.mecam.webui.onboarding.ArchiveKeyFiles.ownerKeyFile(config, service));
    this.config = config;
    this.clock = clock;
  }

  /** Whether the owner key file exists (made by first-run setup or configured). */
  public boolean configured() {
    return keyFile.isPresent() && java.nio.file.Files.exists(keyFile.get());
  }

  /** Opens the key file; returns when the key will be forgotten again. */
  public synchronized Instant unlock(char[] passphrase, String user) throws IOException {
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
    forget();
    key = opened;
    expiresAt = clock.instant().plus(config.archiveUnlockTtl());
    Log.infof("archive key unlocked by %s until %s", user, expiresAt);
    return expiresAt;
  }

  /** The unlocked key, or empty when locked or expired. */
  public synchronized Optional<OwnerKeyPair> key() {
    if (key != null && !clock.instant().isBefore(expiresAt)) {
      forget();
    }
    return Optional.ofNullable(key);
  }

  public synchronized Optional<Instant> expiresAt() {
    return key().map(k -> expiresAt);
  }

  public synchronized void lock() {
    forget();
  }

  @Scheduled(every = "30s", delayed = "30s")
  void expire() {
    key();
  }

  private void forget() {
    if (key != null) {
      key.destroy();
      key = null;
      expiresAt = null;
      Log.info("archive key forgotten");
    }
  }
}
