package org.mecam.webui.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetupCodeTest {
  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-12-03T17:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void codesAreTwelveUnambiguousCharactersAndDiffer() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String c = SetupCode.generate();
      assertThat(c).matches("[ACDEFGHJKMNPQRTUVWXY234679]{4}-[ACDEFGHJKMNPQRTUVWXY234679]{4}-[ACDEFGHJKMNPQRTUVWXY234679]{4}");
      seen.add(c);
    }
    assertThat(seen).hasSize(200);
    assertThat(SetupCode.ALPHABET).doesNotContain("0", "O", "1", "I", "L");
  }

  @Test
  void acceptsTheCodeTypedLooselyAndRefusesOthers() {
    SetupCode s = new SetupCode(null, new MutableClock());
    assertThat(s.check("ACDE-FGHJ-KMNP", "a")).isInstanceOf(SetupCode.Check.Closed.class);
    s.openWith("ACDE-FGHJ-KMNP");
    assertThat(s.check("acde fghj kmnp", "a")).isInstanceOf(SetupCode.Check.Accepted.class);
    assertThat(s.check("ACDEFGHJKMNP", "a")).isInstanceOf(SetupCode.Check.Accepted.class);
    assertThat(s.check("ACDE-FGHJ-KMN", "a")).isInstanceOf(SetupCode.Check.Wrong.class);
    assertThat(s.check(null, "a")).isInstanceOf(SetupCode.Check.Wrong.class);
    assertThat(s.check("", "a")).isInstanceOf(SetupCode.Check.Wrong.class);
    s.used();
    assertThat(s.check("ACDE-FGHJ-KMNP", "a")).isInstanceOf(SetupCode.Check.Closed.class);
  }

  @Test
  void wrongCodesAreThrottledPerAddressEvenForTheRightCode() {
    MutableClock clock = new MutableClock();
    SetupCode s = new SetupCode(null, clock);
    s.openWith("ACDE-FGHJ-KMNP");
    for (int i = 0; i < SetupCode.FREE_FAILURES - 1; i++) {
      assertThat(s.check("WRONG", "10.0.0.9")).isInstanceOf(SetupCode.Check.Wrong.class);
    }
    assertThat(s.check("WRONG", "10.0.0.9")).isInstanceOf(SetupCode.Check.Wrong.class);
    // Locked out: even the right code is refused until the wait is over.
    SetupCode.Check t = s.check("ACDE-FGHJ-KMNP", "10.0.0.9");
    assertThat(t).isInstanceOf(SetupCode.Check.Throttled.class);
    assertThat(((SetupCode.Check.Throttled) t).retryAfter()).isEqualTo(SetupCode.FIRST_WAIT);
    // Another address is not affected.
    assertThat(s.check("ACDE-FGHJ-KMNP", "10.0.0.10")).isInstanceOf(SetupCode.Check.Accepted.class);
    clock.now = clock.now.plus(SetupCode.FIRST_WAIT);
    assertThat(s.check("WRONG", "10.0.0.9")).isInstanceOf(SetupCode.Check.Wrong.class);
    // The wait doubles.
    assertThat(((SetupCode.Check.Throttled) s.check("ACDE-FGHJ-KMNP", "10.0.0.9")).retryAfter())
        .isEqualTo(SetupCode.FIRST_WAIT.multipliedBy(2));
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(s.check("ACDE-FGHJ-KMNP", "10.0.0.9")).isInstanceOf(SetupCode.Check.Accepted.class);
  }

  @Test
  void manyAddressesTogetherAreThrottledToo() {
    MutableClock clock = new MutableClock();
    SetupCode s = new SetupCode(null, clock);
    s.openWith("ACDE-FGHJ-KMNP");
    for (int i = 0; i < SetupCode.GLOBAL_FREE_FAILURES; i++) {
      s.check("WRONG", "10.1.0." + i);
    }
    assertThat(s.check("ACDE-FGHJ-KMNP", "10.2.0.1")).isInstanceOf(SetupCode.Check.Throttled.class);
    clock.now = clock.now.plus(SetupCode.MAX_WAIT);
    assertThat(s.check("ACDE-FGHJ-KMNP", "10.2.0.1")).isInstanceOf(SetupCode.Check.Accepted.class);
  }
}
