package org.mecam.webui.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mecam.webui.config.WebUiConfig;

/** Lock-outs start after the configured failures, double with each further one, and expire with time. */
class LoginThrottleTest {
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static WebUiConfig config() {
    return (WebUiConfig) Proxy.newProxyInstance(WebUiConfig.class.getClassLoader(),
        new Class<?>[] {WebUiConfig.class}, (p, m, a) -> switch (m.getName()) {
          case "loginMaxFailures" -> 3;
          case "loginLockout" -> Duration.ofSeconds(30);
          default -> null;
        });
  }

  @Test
  void locksAUserNameOutAfterTooManyFailuresAndDoublesTheLockOut() {
    MovableClock clock = new MovableClock();
    LoginThrottle t = new LoginThrottle(clock, config());
    t.failed("alice", "10.0.0.1");
    t.failed("alice", "10.0.0.2");
    assertThat(t.waitFor("alice", "10.0.0.3")).isZero();
    t.failed("alice", "10.0.0.3");
    assertThat(t.waitFor("alice", "10.0.0.4")).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.waitFor("bob", "10.0.0.4")).isZero();
    clock.now = clock.now.plusSeconds(31);
    assertThat(t.waitFor("alice", "10.0.0.4")).isZero();
    t.failed("alice", "10.0.0.4");
    assertThat(t.waitFor("alice", "10.0.0.5")).isEqualTo(Duration.ofSeconds(60));
    t.succeeded("alice", "10.0.0.5");
    assertThat(t.waitFor("alice", "10.0.0.5")).isZero();
  }

  @Test
  void oneAddressGetsFourTimesAsManyAttemptsAcrossUserNames() {
    LoginThrottle t = new LoginThrottle(new MovableClock(), config());
    for (int i = 0; i < 11; i++) {
      t.failed("user" + i, "10.0.0.9");
    }
    assertThat(t.waitFor("someone-else", "10.0.0.9")).isZero();
    t.failed("user11", "10.0.0.9");
    assertThat(t.waitFor("someone-else", "10.0.0.9")).isPositive();
  }

  /** Issue 12 #5: attempts being checked count against the limit, so parallel guesses cannot race past it. */
  @Test
  void parallelAttemptsCannotRacePastTheLimit() {
    LoginThrottle t = new LoginThrottle(new MovableClock(), config());
    List<LoginThrottle.Attempt> inFlight = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      LoginThrottle.Decision d = t.begin("alice", "10.0.0.1");
      if (d.allowed()) {
        inFlight.add(d.attempt());
      } else {
        refused++;
      }
    }
    assertThat(inFlight).hasSize(3);
    assertThat(refused).isEqualTo(7);
    inFlight.forEach(LoginThrottle.Attempt::failed);
    assertThat(t.waitFor("alice", "10.0.0.1")).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.begin("alice", "10.0.0.1").allowed()).isFalse();
  }

  /** A user's own address is spared the name-wide lock; the name-at-address counter still applies there. */
  @Test
  void anAttackerElsewhereCannotLockTheOwnerOutOfTheirOwnAddress() {
    LoginThrottle t = new LoginThrottle(new MovableClock(), config());
    t.begin("alice", "10.0.0.5").attempt().succeeded();
    for (int i = 0; i < 3; i++) {
      t.begin("alice", "203.0.113.7").attempt().failed();
    }
    assertThat(t.begin("alice", "203.0.113.8").allowed()).isFalse();
    LoginThrottle.Decision home = t.begin("alice", "10.0.0.5");
    assertThat(home.allowed()).isTrue();
    home.attempt().cancelled();
  }
}
