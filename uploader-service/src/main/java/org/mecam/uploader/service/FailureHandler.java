package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.mecam.events.Alert;
import org.mecam.events.Ids;
import org.mecam.events.MediaFailed;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mediapull.PullRefusedException;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * Decides what a failed pull or upload means: another attempt after a backoff, or — after the last
 * attempt or a permanent error — a failed item, a {@code MediaFailed} message and an
 * {@code upload-failing} alert; never a silent drop.
 */
@ApplicationScoped
public class FailureHandler {
  private final UploaderStore store;
  private final OutboxPublisher outbox;
  private final AlertRaiser alerts;
  private final UploadStats stats;
  private final Clock clock;
  private final int maxAttempts;
  private final Backoff backoff;

  public FailureHandler(UploaderStore store, OutboxPublisher outbox, AlertRaiser alerts, UploadStats stats,
      Clock clock, UploaderConfig config) {
    this.store = store;
    this.outbox = outbox;
    this.alerts = alerts;
    this.stats = stats;
    this.clock = clock;
    this.maxAttempts = config.retry().maxAttempts();
    this.backoff = new Backoff(config.retry().baseDelay(), config.retry().maxDelay());
  }

  /** Records the failure of {@code item}; {@code back} is the state a retry starts from. */
  public void failed(MediaItem item, ItemState back, String phase, RetryableException e) throws SQLException {
    int attempts = item.attempts() + 1;
    String reason = phase + ": " + e.getMessage();
    // The camera reads its failed topic: a pull failure tells it no more than "refused" (no oracle on
    // status or size); the owner's alert and the queue keep the full reason.
    String told = back == ItemState.RECEIVED ? PullRefusedException.PUBLIC_REASON : clip(reason);
    if (e.permanent() || attempts >= maxAttempts) {
      MediaFailed failed = new MediaFailed(Payload.SCHEMA, Ids.newId(), item.camera(), clock.instant(),
          item.mediaId(), told, attempts, true);
      String text = "Media " + item.mediaId() + " from camera " + item.camera() + " could not be "
          + (back == ItemState.RECEIVED ? "pulled" : "uploaded") + " after " + attempts + " attempt(s): "
          + e.getMessage();
      store.markFailed(item.mediaId(), reason, List.of(
          OutboxMessage.of(Topics.mediaFailed(item.camera()), PayloadCodec.encode(failed)),
          alerts.message(Alert.Kind.UPLOAD_FAILING, true, clip(text), item.camera())));
      stats.failedPermanently();
      Log.errorf("media %s from camera %s failed for good after %d attempt(s): %s", item.mediaId(),
          item.camera(), attempts, reason);
    } else {
      Duration wait = backoff.delay(attempts, e.retryAfter());
      MediaFailed failed = new MediaFailed(Payload.SCHEMA, Ids.newId(), item.camera(), clock.instant(),
          item.mediaId(), told, attempts, false);
      store.retryLater(item.mediaId(), back, reason, clock.millis() + wait.toMillis(), true);
      store.addOutbox(List.of(OutboxMessage.of(Topics.mediaFailed(item.camera()), PayloadCodec.encode(failed))));
      stats.retried();
      Log.warnf("media %s from camera %s: %s (attempt %d/%d, next in %d ms)", item.mediaId(), item.camera(),
          reason, attempts, maxAttempts, wait.toMillis());
    }
    outbox.wake();
  }

  private static String clip(String s) {
    return s.length() <= 480 ? s : s.substring(0, 480) + "…";
  }
}
