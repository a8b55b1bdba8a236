package org.mecam.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PreferencesTest {
  private static Preferences quiet(String start, String end, String zone) {
    return new Preferences("u", true, true, true, false, true, LocalTime.parse(start), LocalTime.parse(end),
        ZoneId.of(zone));
  }

  @Test
  void quietHoursMaySpanMidnightInTheUsersZone() {
    Preferences p = quiet("22:00", "07:00", "Europe/Berlin");
    assertThat(p.isQuietAt(Instant.parse("2026-11-26T21:30:00Z"))).isTrue(); // 22:30 in Berlin
    assertThat(p.isQuietAt(Instant.parse("2026-11-26T05:59:00Z"))).isTrue(); // 06:59
    assertThat(p.isQuietAt(Instant.parse("2026-11-26T06:00:00Z"))).isFalse(); // 07:00
    assertThat(p.isQuietAt(Instant.parse("2026-11-26T12:00:00Z"))).isFalse();
  }

  @Test
  void daytimeWindowAndNoWindow() {
    Preferences p = quiet("09:00", "17:00", "UTC");
    assertThat(p.isQuietAt(Instant.parse("2026-11-26T09:00:00Z"))).isTrue();
    assertThat(p.isQuietAt(Instant.parse("2026-11-26T17:00:00Z"))).isFalse();
    assertThat(Preferences.defaults("u").isQuietAt(Instant.now())).isFalse();
  }

  @Test
  void securityBreaksThroughQuietHoursOthersDoNot() {
    Notice security = new Notice("n", null, null, "c", null, Category.SECURITY, "high", "t", "b", null, null,
        Instant.now());
    Notice motion = new Notice("n", null, null, "c", null, Category.MOTION, "high", "t", "b", null, null,
        Instant.now());
    assertThat(security.breaksQuietHours()).isTrue();
    assertThat(motion.breaksQuietHours()).isFalse();
  }
}
