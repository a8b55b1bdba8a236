package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
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
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * One pull at a time per worker: takes the most important recorded item (snapshots first), pulls it
 * into {@code <data-dir>/staging/}, and reports {@code MediaStored(stage=staged)}.
 */
@ApplicationScoped
public class Stager {
  private final UploaderStore store;
  private final MediaFetcher fetcher;
  private final FailureHandler failures;
  private final OutboxPublisher outbox;
  private final AlertRaiser alerts;
  private final RuntimeSettings settings;
  private final UploadStats stats;
  private final Clock clock;
  private final Path stagingDir;
  private volatile Runnable onStaged = () -> {};

  public Stager(UploaderStore store, MediaFetcher fetcher, FailureHandler failures, OutboxPublisher outbox,
      AlertRaiser alerts, RuntimeSettings settings, UploadStats stats, Clock clock, ServiceConfig service) {
    this.store = store;
    this.fetcher = fetcher;
    this.failures = failures;
    this.outbox = outbox;
    this.alerts = alerts;
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
    this.stagingDir = service.dataDir().resolve("staging").toAbsolutePath();
  }

  void onStaged(Runnable r) {
    this.onStaged = r;
  }

  public Path stagingDir() {
    return stagingDir;
  }

  /** Pulls one item; returns false when nothing was due. */
  public boolean runOnce() throws SQLException, InterruptedException {
    admitWaiting();
    Optional<MediaItem> next = store.claimForStaging(clock.millis());
    if (next.isEmpty()) {
      return false;
    }
    MediaItem item = next.get();
    Path target = stagingDir.resolve(item.mediaId());
    try {
      long t0 = System.nanoTime();
      String how = fetcher.fetch(item, target);
      MediaStored staged = new MediaStored(Payload.SCHEMA, Ids.newId(), item.camera(), clock.instant(),
          item.mediaId(), item.eventId(), item.kind(), MediaStored.Stage.STAGED, "staging", item.size(),
          item.sha256());
      store.markStaged(item.mediaId(), target.toString(), clock.millis(),
          List.of(OutboxMessage.of(Topics.mediaStored(item.camera()), PayloadCodec.encode(staged))));
      stats.staged(item.size());
      Log.infof("media %s from camera %s staged (%d bytes by %s in %d ms)", item.mediaId(), item.camera(),
          item.size(), how, (System.nanoTime() - t0) / 1_000_000);
      outbox.wake();
      onStaged.run();
    } catch (RetryableException e) {
      failures.failed(item, ItemState.RECEIVED, "pull", e);
    } catch (IOException e) {
      failures.failed(item, ItemState.RECEIVED, "pull", new RetryableException(e.getMessage()));
    } catch (RuntimeException e) {
      Log.errorf(e, "media %s: unexpected error while pulling", item.mediaId());
      failures.failed(item, ItemState.RECEIVED, "pull", new RetryableException("internal error: " + e));
    }
    return true;
  }

  /** Lets items that waited on their camera because the queue was full in, as room allows. */
  private void admitWaiting() throws SQLException {
    if (store.countWaiting() > 0) {
      int n = store.promoteWaiting(settings.queueCap());
      if (n > 0) {
        Log.infof("%d item(s) that waited for room in the queue are pulled now", n);
      }
    } else if (alerts.isActive(Alert.Kind.QUEUE_FULL) && store.countActive() < settings.queueCap()) {
      alerts.clear(Alert.Kind.QUEUE_FULL, "Upload queue has room again.");
    }
  }
}
