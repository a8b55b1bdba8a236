package org.mecam.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the embedded HiveMQ fallback starts and applies the same users/anonymous rule; restart is
 * left out because HiveMQ takes seconds to stop and CI runs real Mosquitto anyway. An IT (failsafe)
 * rather than a Test because HiveMQ needs 3 s to start on an idle machine and far more on a busy one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedFallbackIT {

  @Test
  void embeddedHiveMqLetsKnownUsersInAndKeepsAnonymousOut() {
    try (MqttBroker broker =
        MqttBroker.builder().forceEmbedded().allowAnonymous(false).user("cam-a", "pw").start()) {
      assertThat(broker.isRealMosquitto()).isFalse();
      assertThat(MqttTestClient.tryConnect(broker.url(), null, null)).isNotZero();
      assertThat(MqttTestClient.tryConnect(broker.url(), "cam-a", "nope")).isNotZero();
      try (MqttTestClient client = MqttTestClient.connect(broker.url(), "cam-a", "pw")) {
        client.subscribe("mecam/v1/cameras/cam-a/#");
        client.publish("mecam/v1/cameras/cam-a/events", "hello", 1, false);
        assertThat(client.await("mecam/v1/cameras/cam-a/events", Duration.ofSeconds(5)).payload())
            .isEqualTo("hello");
      }
    }
  }
}
