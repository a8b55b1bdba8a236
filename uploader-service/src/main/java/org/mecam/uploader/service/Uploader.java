package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.mecam.events.Alert;
import org.mecam.events.Ids;
import org.mecam.events.MediaStored;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.uploader.crypto.MediaSealer;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.storage.BackendPausedException;
import org.mecam.uploader.storage.Backends;
import org.mecam.uploader.storage.RemoteFile;
import org.mecam.uploader.storage.StorageBackend;
import org.mecam.uploader.storage.UploadContext;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * One upload at a time per worker: takes the most important staged item that is due, encrypts it
 * (never uploading plaintext), stores it on the selected backend unless a copy is already there,
 * verifies it and reports {@code MediaStored(stage=uploaded)}.
 */
@ApplicationScoped
public class Uploader {
  private final UploaderStore store;
  private final MediaSealer sealer;
  private final Backends backends;
  private final FailureHandler failures;
  private final OutboxPublisher outbox;
  private final AlertRaiser alerts;
  private final RuntimeSettings settings;
  private final UploadStats stats;
  private final Throttle throttle;
  private final Clock clock;
  private final Path sealedDir;

  public Uploader(UploaderStore store, MediaSealer sealer, Backends backends, FailureHandler failures,
      OutboxPublisher outbox, AlertRaiser alerts, RuntimeSettings settings, UploadStats stats,
      Throttle throttle, Clock clock, ServiceConfig service) {
    this.store = store;
    this.sealer = sealer;
    this.backends = backends;
    this.failures = failures;
    this.outbox = outbox;
    this.alerts = alerts;
    this.settings = settings;
    this.stats = stats;
    this.throttle = throttle;
    this.clock = clock;
    this.sealedDir = service.dataDir().resolve("sealed").toAbsolutePath();
  }

  /** Why no upload can run now, or empty. */
  public Optional<String> blockedReason() {
    if (!settings.enabled()) {
      return Optional.of("uploads are disabled in the settings");
    }
    Optional<String> refusal = sealer.refusal();
    if (refusal.isPresent()) {
      return refusal;
    }
    return backends.current().pausedReason();
  }

  /** Uploads one item; returns false when nothing was due or uploads are blocked. */
  public boolean runOnce() throws SQLException {
    Optional<String> blocked = blockedReason();
    stats.blocked(blocked.orElse(null));
    if (blocked.isPresent()) {
      return false;
    }
    StorageBackend backend = backends.current();
    Optional<MediaItem> next = store.claimForUpload(clock.millis());
    if (next.isEmpty()) {
      return false;
    }
    MediaItem item = next.get();
    Path sealedPath = sealedDir.resolve(item.mediaId() + ".mecam");
    try {
      long t0 = System.nanoTime();
      Optional<RemoteFile> existing = backend.find(item);
      RemoteFile remote;
      long sealMs = 0;
      long storeMs = 0;
      if (existing.isPresent()) {
        remote = existing.get();
        Log.infof("media %s from camera %s already on %s; not uploading it again", item.mediaId(),
            item.camera(), backend.name());
      } else {
        if (item.stagedPath() == null || !Files.isRegularFile(Path.of(item.stagedPath()))) {
          store.retryLater(item.mediaId(), ItemState.RECEIVED, "staged copy missing; pulling again", 0, false);
          return true;
        }
        long s0 = System.nanoTime();
        Path staged = Path.of(item.stagedPath());
        SealedFile sealed;
        if (isSpool(staged)) {
          // The spool already holds the ciphertext: Drive needs its MD5 to verify, the local folder nothing.
          sealed = backend.name().equals("drive") ? sealer.describe(staged)
              : new SealedFile(staged, Files.size(staged), null, null);
        } else {
          // Staged in plaintext by a version before the spool: seal it as that version did, then drop it.
          sealed = Files.isRegularFile(sealedPath) ? sealer.describe(sealedPath)
              : sealer.seal(item, staged, sealedPath);
          Files.deleteIfExists(staged);
        }
        long s1 = System.nanoTime();
        remote = backend.upload(item, sealed, context(item, sealed));
        sealMs = (s1 - s0) / 1_000_000;
        storeMs = (System.nanoTime() - s1) / 1_000_000;
      }
      MediaStored stored = new MediaStored(Payload.SCHEMA, Ids.newId(), item.camera(), clock.instant(),
          item.mediaId(), item.eventId(), item.kind(), MediaStored.Stage.UPLOADED, backend.name(),
          item.size(), item.sha256());
      store.markUploaded(item.mediaId(), backend.name(), remote.id(), remote.size(), clock.millis(),
          List.of(OutboxMessage.of(Topics.mediaStored(item.camera()), PayloadCodec.encode(stored))));
      Files.deleteIfExists(sealedPath);
      stats.uploaded(remote.size());
      outbox.wake();
      alerts.clear(Alert.Kind.UPLOAD_FAILING, "Uploads succeed again.");
      Log.infof("media %s from camera %s uploaded to %s (%d bytes encrypted; %d ms: sealed in %d, stored in %d)",
          item.mediaId(), item.camera(), backend.name(), remote.size(), (System.nanoTime() - t0) / 1_000_000,
          sealMs, storeMs);
    } catch (RetryableException e) {
      failures.failed(item, ItemState.STAGED, "upload to " + backend.name(), e);
    } catch (BackendPausedException e) {
      store.retryLater(item.mediaId(), ItemState.STAGED, e.getMessage(), clock.millis() + 1000, false);
    } catch (IOException e) {
      failures.failed(item, ItemState.STAGED, "encrypt", new RetryableException(e.getMessage()));
    } catch (RuntimeException e) {
      // A bug must not leave the item stuck in 'uploading': count it as a failed attempt.
      Log.errorf(e, "media %s: unexpected error while uploading", item.mediaId());
      failures.failed(item, ItemState.STAGED, "upload", new RetryableException("internal error: " + e));
    } finally {
      stats.done(item.mediaId());
    }
    return true;
  }

  private UploadContext context(MediaItem item, SealedFile sealed) {
    return new UploadContext() {
      @Override
      public InputStream throttled(InputStream in) {
        return throttle.wrap(in, sent -> stats.progress(item, sent, sealed.size()));
      }

      @Override
      public Optional<String> savedSession() {
        return Optional.ofNullable(item.uploadSession());
      }

      @Override
      public void saveSession(String session) {
        try {
          store.saveUploadSession(item.mediaId(), "drive", session);
        } catch (SQLException e) {
          throw new IllegalStateException("cannot save upload session: " + e.getMessage(), e);
        }
      }
    };
  }

  /** An upload context for a one-off file (test upload): throttled, no resumable session kept. */
  public UploadContext plainContext() {
    return new UploadContext() {
      @Override
      public InputStream throttled(InputStream in) {
        return throttle.wrap(in, sent -> {});
      }

      @Override
      public Optional<String> savedSession() {
        return Optional.empty();
      }

      @Override
      public void saveSession(String session) {}
    };
  }

  private static final byte[] MAGIC = "MECAMENC".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * True for a spool file the stager wrote (a mecam encrypted file), false for a plaintext staging copy
   * left by a version before the spool (same place, same name).
   */
  private static boolean isSpool(Path staged) throws IOException {
    try (InputStream in = Files.newInputStream(staged)) {
      return java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    }
  }

  public Path sealedDir() {
    return sealedDir;
  }
}
