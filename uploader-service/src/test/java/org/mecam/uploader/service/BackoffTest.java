package org.mecam.uploader.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesPerAttemptFromTheBaseInMinutesByDefault() {
    Backoff b = new Backoff(Duration.ofMinutes(1), Duration.ofHours(6), () -> 0.5);
    assertThat(b.delay(1, Optional.empty())).isEqualTo(Duration.ofMinutes(2));
    assertThat(b.delay(2, Optional.empty())).isEqualTo(Duration.ofMinutes(4));
    assertThat(b.delay(4, Optional.empty())).isEqualTo(Duration.ofMinutes(16));
  }

  @Test
  void jittersBetween75And125Percent() {
    assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofHours(1), () -> 0.0).delay(3, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofHours(1), () -> 0.999999).delay(3, Optional.empty()))
        .isBetween(Duration.ofMillis(9999), Duration.ofSeconds(10));
  }

  @Test
  void honoursRetryAfterAndTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.5);
    assertThat(b.delay(1, Optional.of(Duration.ofSeconds(20)))).isEqualTo(Duration.ofSeconds(20));
    assertThat(b.delay(20, Optional.empty())).isEqualTo(Duration.ofSeconds(30));
  }
}
