package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.storage.BackendPausedException;
import org.mecam.uploader.storage.Backends;
import org.mecam.uploader.store.UploaderStore;

/**
 * Housekeeping: deletes plaintext staging copies some days after their verified upload, and remote
 * files older than the retention period.
 */
@ApplicationScoped
public class Cleanup {
  private final UploaderStore store;
  private final RuntimeSettings settings;
  private final Backends backends;
  private final Clock clock;

  public Cleanup(UploaderStore store, RuntimeSettings settings, Backends backends, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.backends = backends;
    this.clock = clock;
  }

  @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    try {
      int staged = cleanStaging();
      int remote = applyRetention();
      if (staged + remote > 0) {
        Log.infof("cleanup: %d staging copies and %d remote files deleted", staged, remote);
      }
    } catch (SQLException e) {
      Log.warnf("cleanup failed: %s", e.getMessage());
    }
  }

  /** Deletes staging copies of media uploaded more than {@code stagingKeepDays} ago. */
  public int cleanStaging() throws SQLException {
    long before = clock.millis() - Duration.ofDays(settings.stagingKeepDays()).toMillis();
    int n = 0;
    for (MediaItem i : store.stagedCopiesUploadedBefore(before)) {
      try {
        Files.deleteIfExists(Path.of(i.stagedPath()));
        store.clearStagedPath(i.mediaId());
        n++;
      } catch (IOException e) {
        Log.warnf("cannot delete staging copy of media %s: %s", i.mediaId(), e.getMessage());
      }
    }
    return n;
  }

  /** Deletes remote files older than {@code retentionDays} (0 keeps everything). */
  public int applyRetention() {
    int days = settings.retentionDays();
    if (days <= 0) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(Duration.ofDays(days));
    try {
      return backends.current().deleteOlderThan(cutoff);
    } catch (RetryableException | BackendPausedException e) {
      Log.warnf("retention cleanup on %s skipped: %s", backends.current().name(), e.getMessage());
      return 0;
    }
  }
}
