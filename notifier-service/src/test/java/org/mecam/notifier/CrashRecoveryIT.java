package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mecam.events.Ids;
import org.mecam.events.Topics;
import org.mecam.mqtt.FaultInjection;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * Runs the packaged notifier as a process and halts it (as {@code kill -9} would) right after it
 * received a motion event but before it committed, then right after it committed but before it
 * acknowledged: after each restart the broker redelivers the event and exactly one notification
 * record exists — nothing lost, nothing doubled.
 */
class CrashRecoveryIT {
  private static final Path JAR = PackagedNotifier.JAR;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void crashBetweenReceiptAndCommitOrAckLosesAndDoublesNothing() throws Exception {
    assertThat(JAR).as("package the notifier first").exists();
    Path data = Files.createTempDirectory("notifier-crash");
    int port = FreePort.find();
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).start();
        MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      // First run only establishes the persistent session (subscriptions), then stops cleanly.
      Process p = start(broker, data, port, "");
      awaitReady(port, p);
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

      String camera = "cam-crash";
      String eventId = Ids.newId();
      client.publish(Topics.cameraEvents(camera),
          TestEvents.json(TestEvents.motionStart(camera, eventId, true)), 1, false);

      p = start(broker, data, port, FaultInjection.BEFORE_COMMIT);
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("halted before commit").isTrue();
      assertThat(p.exitValue()).isEqualTo(86);

      p = start(broker, data, port, FaultInjection.BEFORE_ACK);
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("halted before ack").isTrue();
      assertThat(p.exitValue()).isEqualTo(86);

      p = start(broker, data, port, "");
      try {
        awaitReady(port, p);
        await().atMost(Duration.ofSeconds(30)).until(() -> records(port, eventId).size() == 1);
        // Give a would-be duplicate time to show up, then check again.
        String marker = Ids.newId();
        client.publish(Topics.cameraEvents(camera),
            TestEvents.json(TestEvents.motionStart(camera, marker, false)), 1, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> records(port, marker).size() == 1);
        assertThat(records(port, eventId)).hasSize(1);
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Process start(MqttBroker broker, Path data, int port, String haltAt) throws IOException {
    return PackagedNotifier.start(broker, data, port, Map.of("MECAM_FAULT_HALT_AT", haltAt));
  }

  private static void awaitReady(int port, Process p) {
    PackagedNotifier.awaitReady(port, p);
  }

  private static List<JsonNode> records(int port, String eventId) throws Exception {
    return PackagedNotifier.records(port, n -> eventId.equals(n.path("eventId").asText()));
  }
}
