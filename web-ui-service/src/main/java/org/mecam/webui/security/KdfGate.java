package org.mecam.webui.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.mecam.webui.config.WebUiConfig;

/**
 * Bounds how many memory-hard key derivations (Argon2id for passwords, about 19 MiB each, and the
 * archive key's) run at once: beyond {@code mecam.webui.login-hash-concurrency} a request waits at most
 * {@code mecam.webui.login-hash-wait} and is then refused ({@link Busy}, answered 503), so a burst of
 * logins cannot exhaust memory or pile up threads.
 */
@ApplicationScoped
public class KdfGate {
  /** Every permit was taken for longer than the wait. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("too many logins at once; try again in a moment");
    }
  }

  private final Semaphore permits;
  private final Duration wait;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  public KdfGate(WebUiConfig config) {
    if (config.loginHashConcurrency() < 1) {
      throw new IllegalArgumentException("mecam.webui.login-hash-concurrency must be at least 1");
    }
    this.permits = new Semaphore(config.loginHashConcurrency(), true);
    this.wait = config.loginHashWait();
  }

  /** Runs the derivation under a permit; {@link Busy} when none frees up in time. */
  public <T> T run(Supplier<T> derivation) {
    boolean acquired;
    try {
      acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Busy();
    }
    if (!acquired) {
      throw new Busy();
    }
    try {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      return derivation.get();
    } finally {
      running.decrementAndGet();
      permits.release();
    }
  }

  /** The most derivations that ran at once since the last {@link #resetPeak}. */
  public int peak() {
    return peak.get();
  }

  public void resetPeak() {
    peak.set(running.get());
  }
}
