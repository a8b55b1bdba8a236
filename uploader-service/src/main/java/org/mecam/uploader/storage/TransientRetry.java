package org.mecam.uploader.storage;

import com.google.api.client.http.HttpIOExceptionHandler;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import io.quarkus.logging.Log;
import java.util.concurrent.ThreadLocalRandom;
import org.mecam.uploader.service.RetryableException;

/**
 * Retries one Drive request a few times inside an upload attempt — after HTTP 5xx, 429 (waiting as long
 * as Retry-After says, capped) or a dropped connection — before the failure reaches the queue's slower
 * backoff; a fresh instance is attached to each request, behind the credential's own 401 handling.
 */
final class TransientRetry implements HttpUnsuccessfulResponseHandler, HttpIOExceptionHandler {
  private static final int MAX_RETRIES = 4;
  private static final long MAX_WAIT_MS = 30_000;

  private final HttpUnsuccessfulResponseHandler auth;
  private final long baseMs;
  private int retries;

  TransientRetry(HttpUnsuccessfulResponseHandler auth, long baseMs) {
    this.auth = auth;
    this.baseMs = baseMs;
  }

  /** Attaches a fresh instance to {@code request} (after the credential initialised it). */
  static void attach(HttpRequest request, long baseMs) {
    TransientRetry r = new TransientRetry(request.getUnsuccessfulResponseHandler(), baseMs);
    request.setUnsuccessfulResponseHandler(r);
    request.setIOExceptionHandler(r);
    request.setNumberOfRetries(MAX_RETRIES + 2);
  }

  @Override
  public boolean handleResponse(HttpRequest request, HttpResponse response, boolean supportsRetry)
      throws java.io.IOException {
    if (auth != null && auth.handleResponse(request, response, supportsRetry)) {
      return true;
    }
    int code = response.getStatusCode();
    if (!supportsRetry || (code < 500 && code != 429) || retries >= MAX_RETRIES) {
      return false;
    }
    var retryAfter = RetryableException.parseRetryAfter(response.getHeaders().getRetryAfter());
    long wait = retryAfter != null ? Math.min(retryAfter.toMillis(), MAX_WAIT_MS) : backoff();
    retries++;
    Log.infof("Drive answered HTTP %d; retry %d in %d ms", code, retries, wait);
    return sleep(wait);
  }

  @Override
  public boolean handleIOException(HttpRequest request, boolean supportsRetry) {
    if (!supportsRetry || retries >= MAX_RETRIES) {
      return false;
    }
    retries++;
    long wait = backoff();
    Log.infof("Drive connection failed; retry %d in %d ms", retries, wait);
    return sleep(wait);
  }

  private long backoff() {
    return (long) (baseMs * Math.pow(2, retries) * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble()));
  }

  private static boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
