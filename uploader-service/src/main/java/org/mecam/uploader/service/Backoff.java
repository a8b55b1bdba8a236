package org.mecam.uploader.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th failed attempt wait about {@code base × 2^n}
 * (the seed's "2^n minutes" with base one minute), uniformly jittered to 75–125% so retries of many
 * items spread out, capped at {@code max}, and never shorter than a peer's Retry-After.
 */
public final class Backoff {
  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration base, Duration max) {
    this(base, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  Backoff(Duration base, Duration max, DoubleSupplier random) {
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /** The wait after {@code attempts} failed attempts (1 = first failure). */
  public Duration delay(int attempts, Optional<Duration> retryAfter) {
    double exp = base.toMillis() * Math.pow(2, Math.min(attempts, 30));
    double jittered = exp * (0.75 + 0.5 * random.getAsDouble());
    long ms = (long) Math.min(jittered, max.toMillis());
    Duration d = Duration.ofMillis(Math.max(ms, 1));
    if (retryAfter.isPresent() && retryAfter.get().compareTo(d) > 0) {
      d = retryAfter.get();
    }
    return d;
  }
}
