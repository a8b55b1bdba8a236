package org.mecam.webui.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mecam.webui.config.WebUiConfig;

/**
 * Slows password guessing: after too many failures for one user name or one client address, further
 * attempts are refused for a lock-out that doubles with every further failure (at most 15 minutes).
 */
@ApplicationScoped
public class LoginThrottle {
  private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
  private static final int MAX_KEYS = 10_000;

  private record Failures(int count, long lockedUntil, long lastFailure) {}

  /** One address may serve a whole household (NAT), so it gets more attempts than one user name. */
  static final int ADDRESS_FACTOR = 4;

  private final Clock clock;
  private final int maxFailures;
  private final Duration lockout;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock, WebUiConfig config) {
    this.clock = clock;
    this.maxFailures = config.loginMaxFailures();
    this.lockout = config.loginLockout();
  }

  /** How long the caller must still wait, or {@link Duration#ZERO} when an attempt is allowed. */
  public Duration waitFor(String username, String address) {
    long now = clock.millis();
    long until = Math.max(lockedUntil("user:" + username, now), lockedUntil("ip:" + address, now));
    return until > now ? Duration.ofMillis(until - now) : Duration.ZERO;
  }

  public void failed(String username, String address) {
    if (failures.size() > MAX_KEYS) {
      long stale = clock.millis() - MAX_LOCKOUT.toMillis() * 2;
      failures.values().removeIf(f -> f.lastFailure() < stale);
    }
    record("user:" + username, maxFailures);
    record("ip:" + address, maxFailures * ADDRESS_FACTOR);
  }

  public void succeeded(String username, String address) {
    failures.remove("user:" + username);
    failures.remove("ip:" + address);
  }

  /** Forgets every failure (for tests and an owner who wants a clean slate). */
  public void reset() {
    failures.clear();
  }

  private void record(String key, int limit) {
    long now = clock.millis();
    failures.compute(key, (k, f) -> {
      int count = (f == null || now - f.lastFailure() > MAX_LOCKOUT.toMillis() * 2) ? 1 : f.count() + 1;
      long until = 0;
      if (count >= limit) {
        int doublings = Math.min(count - limit, 20);
        long ms = Math.min(lockout.toMillis() << doublings, MAX_LOCKOUT.toMillis());
        until = now + ms;
      }
      return new Failures(count, until, now);
    });
  }

  private long lockedUntil(String key, long now) {
    Failures f = failures.get(key);
    return f == null ? 0 : f.lockedUntil();
  }
}
