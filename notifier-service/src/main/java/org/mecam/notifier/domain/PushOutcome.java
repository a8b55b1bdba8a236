package org.mecam.notifier.domain;

import java.time.Duration;

/** How one send ended: accepted, device gone for good, retry later, or failed for good. */
public record PushOutcome(PushJob job, Kind kind, Duration retryAfter, String detail) {

  /** The kinds of ending. */
  public enum Kind { SENT, GONE, RETRY, FAILED }

  public static PushOutcome sent(PushJob job) {
    return new PushOutcome(job, Kind.SENT, null, null);
  }

  public static PushOutcome gone(PushJob job, String detail) {
    return new PushOutcome(job, Kind.GONE, null, detail);
  }

  /** {@code retryAfter} null means "use the backoff schedule". */
  public static PushOutcome retry(PushJob job, Duration retryAfter, String detail) {
    return new PushOutcome(job, Kind.RETRY, retryAfter, detail);
  }

  public static PushOutcome failed(PushJob job, String detail) {
    return new PushOutcome(job, Kind.FAILED, null, detail);
  }
}
