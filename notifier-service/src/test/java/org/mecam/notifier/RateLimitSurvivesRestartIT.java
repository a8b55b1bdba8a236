package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mecam.notifier.NotifierSkeletonTest.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mecam.events.Ids;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.push.LoopbackPushService;
import org.mecam.testkit.push.LoopbackPushService.Subscription;

/**
 * The hourly limit per subscriber (default 50) is counted from the database, not from memory: 30
 * notifications go out, the packaged notifier is killed (SIGKILL) in the middle of the hour and
 * started again on the same data directory, and then only 20 more are sent — the 51st within the
 * hour is recorded as dropped and never reaches the push service.
 */
class RateLimitSurvivesRestartIT {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void fiftyFirstNotificationIsNotSentAfterARestartInTheMiddleOfTheHour() throws Exception {
    Path data = Files.createTempDirectory("notifier-rate");
    int port = FreePort.find();
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).start();
        LoopbackPushService push = LoopbackPushService.start();
        MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      Commands commands = new Commands(client);
      Process p = PackagedNotifier.start(broker, data, port, Map.of());
      Subscription s;
      try {
        PackagedNotifier.awaitReady(port, p);
        s = push.newSubscription();
        JsonNode reply = commands.call("webpush_subscribe", args("endpoint", s.endpoint(), "p256dh", s.p256dh(),
            "auth", s.auth(), "device_name", "restart test", "user", "rita"));
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        for (int i = 0; i < 30; i++) {
          assertThat(commands.call("test_webpush", args("user", "rita")).path("data").path("queued").asInt())
              .isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> push.acceptedCount() == 30);
        // Wait until the outcomes are committed, so the restart resends nothing.
        await().atMost(Duration.ofSeconds(30)).until(() -> commands.call("devices", args()).path("data")
            .path("devices").path(0).path("sent_count").asLong() == 30);
      } finally {
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }

      p = PackagedNotifier.start(broker, data, port, Map.of());
      try {
        PackagedNotifier.awaitReady(port, p);
        for (int i = 0; i < 20; i++) {
          JsonNode reply = commands.call("test_webpush", args("user", "rita"));
          assertThat(reply.path("data").path("queued").asInt()).as("notification %d", 31 + i).isEqualTo(1);
        }
        String fiftyFirst = Ids.newId();
        JsonNode reply = commands.call(fiftyFirst, "test_webpush", args("user", "rita"));
        assertThat(reply.path("data").path("queued").asInt()).isZero();
        assertThat(reply.path("data").path("dropped").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).until(() -> push.acceptedCount() == 50);
        List<JsonNode> records = PackagedNotifier.records(port,
            n -> fiftyFirst.equals(n.path("sourceId").asText()));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("deliveries").get(0).path("status").asText()).isEqualTo("dropped");
        // The 50 that were sent are all there is: nothing was resent after the kill, nothing beyond the limit.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> push.received(s).size() == 50);
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
