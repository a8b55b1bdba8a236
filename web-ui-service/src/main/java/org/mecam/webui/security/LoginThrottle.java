package org.mecam.webui.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mecam.webui.config.WebUiConfig;

/**
 * Slows password guessing. Three counters: the user name (across addresses), the user name from one
 * address, and one client address (across names, four times the limit: a household behind one NAT).
 * After too many failures on any of them, further attempts are refused for a lock-out that doubles with
 * every further failure (at most 15 minutes). The name-wide lock does not apply at an address this user
 * logged in from before (in this process's memory), so an attacker elsewhere cannot lock the owner out
 * of their own devices; the name-at-address counter still applies there.
 *
 * <p>Atomic: {@link #begin} reserves an attempt on every counter before the password is checked, and
 * attempts in flight count against the limit, so parallel wrong logins cannot race past it.
 */
@ApplicationScoped
public class LoginThrottle {
  private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
  private static final int MAX_KEYS = 10_000;
  private static final int MAX_KNOWN_ADDRESSES = 16;

  private static final class Failures {
    int count;
    int inFlight;
    long lockedUntil;
    long lastFailure;
  }

  /** One address may serve a whole household (NAT), so it gets more attempts than one user name. */
  static final int ADDRESS_FACTOR = 4;

  /** A reserved attempt: report its outcome exactly once. */
  public interface Attempt {
    void failed();

    void succeeded();

    /** The password was not checked after all (the server was busy): nothing is recorded. */
    void cancelled();
  }

  /** The answer of {@link #begin}: an attempt to make, or how long to wait. */
  public record Decision(Attempt attempt, Duration retryAfter) {
    public boolean allowed() {
      return attempt != null;
    }
  }

  private final Clock clock;
  private final int maxFailures;
  private final Duration lockout;
  private final Map<String, Failures> failures = new HashMap<>();
  /** Addresses each user logged in from (most recent last), exempt from the name-wide lock. */
  private final Map<String, LinkedHashSet<String>> knownAddresses = new HashMap<>();

  public LoginThrottle(Clock clock, WebUiConfig config) {
    this.clock = clock;
    this.maxFailures = config.loginMaxFailures();
    this.lockout = config.loginLockout();
  }

  /**
   * Reserves one attempt for this name from this address, or says how long to wait: when a counter is
   * locked, or when the failures so far plus the attempts still being checked reach its limit.
   */
  public synchronized Decision begin(String username, String address) {
    long now = clock.millis();
    List<Counter> counters = counters(username, address);
    long until = 0;
    boolean full = false;
    for (Counter c : counters) {
      Failures f = failures.get(c.key());
      if (f == null) {
        continue;
      }
      if (f.lockedUntil > now) {
        until = Math.max(until, f.lockedUntil);
      } else if (f.count >= c.limit()) {
        full |= f.inFlight > 0; // after a lock-out, one attempt at a time
      } else {
        full |= f.count + f.inFlight >= c.limit();
      }
    }
    if (until > now) {
      return new Decision(null, Duration.ofMillis(until - now));
    }
    if (full) {
      return new Decision(null, Duration.ofSeconds(1));
    }
    prune(now);
    for (Counter c : counters) {
      failures.computeIfAbsent(c.key(), k -> new Failures()).inFlight++;
    }
    return new Decision(new Attempt() {
      private boolean done;

      @Override
      public void failed() {
        synchronized (LoginThrottle.this) {
          if (!done) {
            done = true;
            counters.forEach(c -> release(c.key()));
            record(counters);
          }
        }
      }

      @Override
      public void succeeded() {
        synchronized (LoginThrottle.this) {
          if (!done) {
            done = true;
            counters.forEach(c -> release(c.key()));
            clear(username, address);
          }
        }
      }

      @Override
      public void cancelled() {
        synchronized (LoginThrottle.this) {
          if (!done) {
            done = true;
            counters.forEach(c -> release(c.key()));
          }
        }
      }
    }, Duration.ZERO);
  }

  /** How long the caller must still wait, or {@link Duration#ZERO} when an attempt is allowed. */
  public synchronized Duration waitFor(String username, String address) {
    long now = clock.millis();
    long until = 0;
    for (Counter c : counters(username, address)) {
      Failures f = failures.get(c.key());
      until = Math.max(until, f == null ? 0 : f.lockedUntil);
    }
    return until > now ? Duration.ofMillis(until - now) : Duration.ZERO;
  }

  /** Records a failure without a reserved attempt (see {@link #begin} for the atomic way). */
  public synchronized void failed(String username, String address) {
    prune(clock.millis());
    record(counters(username, address));
  }

  public synchronized void succeeded(String username, String address) {
    clear(username, address);
  }

  /** Forgets every failure (for tests and an owner who wants a clean slate). */
  public synchronized void reset() {
    failures.clear();
    knownAddresses.clear();
  }

  private record Counter(String key, int limit) {}

  private List<Counter> counters(String username, String address) {
    Counter pair = new Counter("pair:" + username + "@" + address, maxFailures);
    Counter ip = new Counter("ip:" + address, maxFailures * ADDRESS_FACTOR);
    Set<String> known = knownAddresses.get(username);
    if (known != null && known.contains(address)) {
      return List.of(pair, ip);
    }
    return List.of(new Counter("user:" + username, maxFailures), pair, ip);
  }

  private void clear(String username, String address) {
    failures.remove("user:" + username);
    failures.remove("pair:" + username + "@" + address);
    failures.remove("ip:" + address);
    LinkedHashSet<String> known = knownAddresses.computeIfAbsent(username, u -> new LinkedHashSet<>());
    known.remove(address);
    known.add(address);
    if (known.size() > MAX_KNOWN_ADDRESSES) {
      known.remove(known.iterator().next());
    }
    if (knownAddresses.size() > MAX_KEYS) {
      knownAddresses.clear();
    }
  }

  private void release(String key) {
    Failures f = failures.get(key);
    if (f != null && f.inFlight > 0) {
      f.inFlight--;
    }
  }

  private void record(List<Counter> counters) {
    long now = clock.millis();
    for (Counter c : counters) {
      Failures f = failures.computeIfAbsent(c.key(), k -> new Failures());
      f.count = now - f.lastFailure > MAX_LOCKOUT.toMillis() * 2 && f.lastFailure > 0 ? 1 : f.count + 1;
      f.lastFailure = now;
      if (f.count >= c.limit()) {
        int doublings = Math.min(f.count - c.limit(), 20);
        f.lockedUntil = now + Math.min(lockout.toMillis() << doublings, MAX_LOCKOUT.toMillis());
      }
    }
  }

  private void prune(long now) {
    if (failures.size() > MAX_KEYS) {
      long stale = now - MAX_LOCKOUT.toMillis() * 2;
      failures.values().removeIf(f -> f.inFlight == 0 && f.lastFailure < stale);
    }
  }
}
