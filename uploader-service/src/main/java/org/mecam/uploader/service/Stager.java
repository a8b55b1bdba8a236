package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mecam.crypto.EncryptingOutputStream;
import org.mecam.events.Alert;
import org.mecam.events.Ids;
import org.mecam.events.MediaStored;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mediapull.MediaPuller;
import org.mecam.mediapull.MediaRequest;
import org.mecam.mediapull.PullFailedException;
import org.mecam.mediapull.PullRefusedException;
import org.mecam.mediapull.PullResult;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.crypto.FileSync;
import org.mecam.uploader.crypto.MediaSealer;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.pull.Refusals;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * One pull at a time per worker, fairly across cameras: picks the camera whose due item is most
 * important, among cameras with fewer than {@code pull.per-camera} pulls running, the least recently
 * served first; streams the pull through the encryptor into ONE spool file of ciphertext
 * ({@code <data-dir>/staging/<media id>}: one write, one fsync, no plaintext on disk) and reports
 * {@code MediaStored(stage=staged)}. Nothing is pulled while the archive key is absent.
 */
@ApplicationScoped
public class Stager {
  private final UploaderStore store;
  private final MediaPuller puller;
  private final MediaSealer sealer;
  private final FailureHandler failures;
  private final Refusals refusals;
  private final OutboxPublisher outbox;
  private final AlertRaiser alerts;
  private final RuntimeSettings settings;
  private final UploadStats stats;
  private final Clock clock;
  private final Path stagingDir;
  private final int perCamera;
  private final int perCameraQueueCap;
  private final long freeSpaceReserve;
  private final Map<String, Integer> inFlight = new HashMap<>();
  private final Map<String, Long> lastServed = new HashMap<>();
  private long turn;
  private volatile Runnable onStaged = () -> {};

  public Stager(UploaderStore store, MediaPuller puller, MediaSealer sealer, FailureHandler failures,
      Refusals refusals, OutboxPublisher outbox, AlertRaiser alerts, RuntimeSettings settings, UploadStats stats,
      Clock clock, ServiceConfig service, UploaderConfig config) {
    this.store = store;
    this.puller = puller;
    this.sealer = sealer;
    this.failures = failures;
    this.refusals = refusals;
    this.outbox = outbox;
    this.alerts = alerts;
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
    this.stagingDir = service.dataDir().resolve("staging").toAbsolutePath();
    this.perCamera = Math.max(1, config.pull().perCamera());
    this.perCameraQueueCap = Math.max(1, config.pull().perCameraQueueCap());
    this.freeSpaceReserve = Math.max(0, config.pull().freeSpaceReserveBytes());
  }

  void onStaged(Runnable r) {
    this.onStaged = r;
  }

  /** Where spool files (ciphertext) live until a backend takes them. */
  public Path stagingDir() {
    return stagingDir;
  }

  /** Pulls one item; returns false when nothing was due (or nothing may be pulled now). */
  public boolean runOnce() throws SQLException, InterruptedException {
    admitWaiting();
    Optional<String> refusal = sealer.refusal();
    if (refusal.isPresent()) {
      alerts.raise(Alert.Kind.UPLOAD_FAILING, "Nothing is pulled from the cameras: " + refusal.get());
      return false;
    }
    MediaItem item = claim();
    if (item == null) {
      return false;
    }
    try {
      pull(item);
    } finally {
      release(item.camera());
    }
    return true;
  }

  /** Claims the next item, round-robin over the cameras that may take another pull. */
  private synchronized MediaItem claim() throws SQLException {
    long now = clock.millis();
    Map<String, Integer> due = store.dueCameras(now);
    while (!due.isEmpty()) {
      String best = null;
      for (Map.Entry<String, Integer> e : due.entrySet()) {
        String cam = e.getKey();
        if (inFlight.getOrDefault(cam, 0) >= perCamera) {
          continue;
        }
        if (best == null || e.getValue() < due.get(best)
            || e.getValue().equals(due.get(best)) && lastServed.getOrDefault(cam, -1L) < lastServed.getOrDefault(best, -1L)) {
          best = cam;
        }
      }
      if (best == null) {
        return null;
      }
      Optional<MediaItem> item = store.claimForStaging(now, best);
      if (item.isPresent()) {
        inFlight.merge(best, 1, Integer::sum);
        lastServed.put(best, ++turn);
        return item.get();
      }
      due.remove(best);
    }
    return null;
  }

  private synchronized void release(String camera) {
    inFlight.computeIfPresent(camera, (k, v) -> v <= 1 ? null : v - 1);
  }

  private void pull(MediaItem item) throws SQLException {
    Path spool = stagingDir.resolve(item.mediaId());
    Path part = stagingDir.resolve(item.mediaId() + ".part");
    try {
      long t0 = System.nanoTime();
      Files.createDirectories(stagingDir);
      long usable = Files.getFileStore(stagingDir).getUsableSpace();
      if (usable - item.size() < freeSpaceReserve) {
        throw new RetryableException("server disk nearly full: " + usable + " bytes free, " + item.size()
            + " needed plus a reserve of " + freeSpaceReserve);
      }
      MediaRequest request = new MediaRequest(item.camera(), item.mediaId(), item.kind(), item.path(),
          item.size(), item.sha256(), item.contentType());
      PullResult result;
      long ciphertext;
      try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream file = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
        EncryptingOutputStream enc = sealer.open(item, file);
        result = puller.pull(request, enc);
        enc.finish(); // only after the puller verified size and SHA-256
        file.flush();
        ch.force(true);
        ciphertext = ch.size();
      }
      Files.move(part, spool, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FileSync.directory(stagingDir);
      MediaStored staged = new MediaStored(Payload.SCHEMA, Ids.newId(), item.camera(), clock.instant(),
          item.mediaId(), item.eventId(), item.kind(), MediaStored.Stage.STAGED, "staging", item.size(),
          item.sha256());
      store.markStaged(item.mediaId(), spool.toString(), clock.millis(),
          List.of(OutboxMessage.of(Topics.mediaStored(item.camera()), PayloadCodec.encode(staged))));
      stats.staged(item.size());
      Log.infof("media %s from camera %s staged (%d bytes by %s%s, %d encrypted, in %d ms)", item.mediaId(),
          item.camera(), item.size(), result.how(), result.resumes() > 0 ? ", resumed " + result.resumes() + "x" : "",
          ciphertext, (System.nanoTime() - t0) / 1_000_000);
      outbox.wake();
      onStaged.run();
    } catch (PullRefusedException e) {
      refusals.refuseItem(item.camera(), item.mediaId(), e.getMessage(), item.attempts() + 1);
      stats.failedPermanently();
    } catch (PullFailedException e) {
      failures.failed(item, ItemState.RECEIVED, "pull", new RetryableException(e.getMessage(), false,
          e.retryAfter()));
    } catch (RetryableException e) {
      failures.failed(item, ItemState.RECEIVED, "pull", e);
    } catch (IOException e) {
      failures.failed(item, ItemState.RECEIVED, "pull", new RetryableException(e.getMessage()));
    } catch (RuntimeException e) {
      Log.errorf(e, "media %s: unexpected error while pulling", item.mediaId());
      failures.failed(item, ItemState.RECEIVED, "pull", new RetryableException("internal error: " + e));
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        Log.debugf("cannot remove %s: %s", part, e.getMessage());
      }
    }
  }

  /** Lets items that waited on their camera because the queue was full in, as room allows. */
  private void admitWaiting() throws SQLException {
    if (store.countWaiting() > 0) {
      int n = store.promoteWaiting(settings.queueCap(), perCameraQueueCap);
      if (n > 0) {
        Log.infof("%d item(s) that waited for room in the queue are pulled now", n);
      }
    } else if (alerts.isActive(Alert.Kind.QUEUE_FULL) && store.countActive() < settings.queueCap()) {
      alerts.clear(Alert.Kind.QUEUE_FULL, "Upload queue has room again.");
    }
  }
}
