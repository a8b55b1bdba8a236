package org.mecam.mediapull;

import java.io.IOException;
import java.time.Duration;

/**
 * A pull that did not complete but may succeed later: camera unreachable, HTTP error, deadline or
 * minimum rate missed, connection cut more often than resumes allow. {@code retryAfter} is the
 * camera's {@code Retry-After}, if it sent one.
 */
public final class PullFailedException extends IOException {
  private final Duration retryAfter;

  public PullFailedException(String message) {
    this(message, null);
  }

  public PullFailedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** The wait the camera asked for, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
