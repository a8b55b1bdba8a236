package org.mecam.mediapull;

import java.time.Duration;

/**
 * The bounds of one pull: connect timeout, total deadline, minimum transfer rate (checked over each
 * {@code rateWindow} of the body, after the first), and the largest clip and snapshot accepted.
 * {@code maxResumes} is how many times a cut transfer is continued with {@code Range}.
 */
public record PullLimits(Duration connectTimeout, Duration deadline, long minBytesPerSecond,
    Duration rateWindow, long maxClipBytes, long maxSnapshotBytes, int maxResumes) {

  /** Defaults: 10 s connect, 10 min deadline, 64 KiB/s over 10 s windows, 2 GiB clips, 10 MiB snapshots. */
  public static PullLimits defaults() {
    return new PullLimits(Duration.ofSeconds(10), Duration.ofMinutes(10), 64 * 1024, Duration.ofSeconds(10),
        2L << 30, 10L << 20, 3);
  }

  public PullLimits {
    if (connectTimeout.isNegative() || connectTimeout.isZero() || deadline.isNegative() || deadline.isZero()
        || rateWindow.isNegative() || rateWindow.isZero()) {
      throw new IllegalArgumentException("pull timeouts must be positive");
    }
    if (minBytesPerSecond < 0 || maxClipBytes <= 0 || maxSnapshotBytes <= 0 || maxResumes < 0) {
      throw new IllegalArgumentException("pull limits must not be negative");
    }
  }

  /** The size cap for {@code kind}. */
  public long maxBytes(org.mecam.events.MediaKind kind) {
    return kind == org.mecam.events.MediaKind.CLIP ? maxClipBytes : maxSnapshotBytes;
  }
}
