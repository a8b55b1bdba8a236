package org.mecam.uploader.service;

import java.time.Duration;
import java.util.Optional;

/**
 * A pull or upload that failed with a reason fit for the owner; {@code permanent} when retrying cannot
 * help, {@code retryAfter} when the peer said how long to wait.
 */
public class RetryableException extends Exception {
  private final boolean permanent;
  private final Duration retryAfter;

  public RetryableException(String reason, boolean permanent, Duration retryAfter) {
    super(reason);
    this.permanent = permanent;
    this.retryAfter = retryAfter;
  }

  public RetryableException(String reason) {
    this(reason, false, null);
  }

  public boolean permanent() {
    return permanent;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Parses an HTTP Retry-After header given in seconds (dates are rare here and ignored). */
  public static Duration parseRetryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long s = Long.parseLong(header.strip());
      return s >= 0 ? Duration.ofSeconds(Math.min(s, 86_400)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
