package org.mecam.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mecam.events.MediaKind;

class ScheduleTest {
  static final Instant NOW = Instant.parse("2026-11-26T05:20:30Z");
  static final LocalTime AT_2 = LocalTime.of(2, 0);

  @Test
  void releasesImmediatelyAtTheNextHourAtTheDailyTimeOrNever() {
    assertThat(Schedule.IMMEDIATE.eligibleAt(NOW, ZoneOffset.UTC, AT_2)).isEqualTo(NOW.toEpochMilli());
    assertThat(Instant.ofEpochMilli(Schedule.HOURLY.eligibleAt(NOW, ZoneOffset.UTC, AT_2)))
        .isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
    assertThat(Instant.ofEpochMilli(Schedule.DAILY.eligibleAt(NOW, ZoneOffset.UTC, AT_2)))
        .isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
    assertThat(Instant.ofEpochMilli(Schedule.DAILY.eligibleAt(NOW, ZoneOffset.UTC, LocalTime.of(23, 0))))
        .isEqualTo(Instant.parse("2026-11-26T23:00:00Z"));
    assertThat(Schedule.MANUAL.eligibleAt(NOW, ZoneOffset.UTC, AT_2)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void snapshotsAreEmergencyClipsNormalAndHeldClipsLow() {
    assertThat(Priorities.of(MediaKind.SNAPSHOT, Schedule.MANUAL)).isEqualTo(2);
    assertThat(Priorities.of(MediaKind.CLIP, Schedule.IMMEDIATE)).isEqualTo(5);
    assertThat(Priorities.of(MediaKind.CLIP, Schedule.DAILY)).isEqualTo(7);
    assertThat(Priorities.band(2)).isEqualTo("emergency");
    assertThat(Priorities.band(7)).isEqualTo("low");
  }

  @Test
  void rejectsAnUnknownScheduleWithTheChoices() {
    assertThatThrownBy(() -> Schedule.parse("weekly")).hasMessageContaining("immediate, hourly, daily or manual");
  }
}
