package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mecam.notifier.NotifierSkeletonTest.args;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class WebhookTest {
  @InjectBroker
  MqttBroker broker;

  MqttTestClient client;
  Commands commands;
  HttpServer receiver;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final ConcurrentLinkedDeque<Integer> answers = new ConcurrentLinkedDeque<>();

  record Request(long nanoTime, Map<String, String> headers, byte[] body, int answered) {}

  @BeforeEach
  void setUp() throws Exception {
    client = MqttTestClient.connect(broker.url(), null, null);
    commands = new Commands(client);
    assertThat(commands.call("clear_all", args("what", "all")).path("ok").asBoolean()).isTrue();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    receiver.createContext("/hook", ex -> {
      try (ex) {
        byte[] body = ex.getRequestBody().readAllBytes();
        Integer scripted = answers.poll();
        int status = scripted == null ? 204 : scripted;
        requests.add(new Request(System.nanoTime(), Map.of(
            "signature", String.valueOf(ex.getRequestHeaders().getFirst("X-Mecam-Signature")),
            "timestamp", String.valueOf(ex.getRequestHeaders().getFirst("X-Mecam-Timestamp")),
            "delivery", String.valueOf(ex.getRequestHeaders().getFirst("X-Mecam-Delivery")),
            "type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"))), body, status));
        ex.sendResponseHeaders(status, -1);
      }
    });
    receiver.start();
  }

  @AfterEach
  void tearDown() {
    receiver.stop(0);
    client.close();
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @Test
  void motionIsPostedSignedToTheUsersWebhookAndRetriedWithBackoffAfterA503() throws Exception {
    JsonNode set = commands.call("settings_set", args("user", "wendy", "webhook_url", url()));
    assertThat(set.path("ok").asBoolean()).as(set.toString()).isTrue();
    assertThat(set.path("data").path("webhook_url").asText()).isEqualTo(url());
    answers.add(503);

    String camera = "cam-hook";
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents(camera), TestEvents.json(TestEvents.motionStart(camera, eventId, true)), 1,
        false);
    await().atMost(Duration.ofSeconds(20)).until(() -> requests.size() == 2);

    Request first = requests.get(0);
    Request retry = requests.get(1);
    assertThat(first.answered()).isEqualTo(503);
    assertThat(retry.answered()).isEqualTo(204);
    assertThat((retry.nanoTime() - first.nanoTime()) / 1_000_000).as("backoff").isGreaterThanOrEqualTo(1000);
    assertThat(retry.headers().get("delivery")).isEqualTo(first.headers().get("delivery"));
    assertThat(retry.headers().get("type")).startsWith("application/json");

    // The receiver checks the signature with the key file it was given (the same file as the service's).
    byte[] key = Files.readString(Path.of("target/test-data/webhook.key")).trim().getBytes(StandardCharsets.UTF_8);
    for (Request r : requests) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((r.headers().get("timestamp") + ".").getBytes(StandardCharsets.US_ASCII));
      assertThat(r.headers().get("signature")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body())));
      assertThat(Math.abs(Long.parseLong(r.headers().get("timestamp")) - System.currentTimeMillis() / 1000))
          .isLessThan(60);
    }
    JsonNode body = PayloadCodec.mapper().readTree(retry.body());
    assertThat(body.path("eventId").asText()).isEqualTo(eventId);
    assertThat(body.path("title").asText()).contains(camera);
    assertThat(body.path("actions").findValuesAsText("action")).contains("snooze", "disarm");

    await().atMost(Duration.ofSeconds(10)).until(() -> commands.call("devices", args()).path("data").path("devices")
        .path(0).path("sent_count").asLong() == 1);
    assertThat(commands.call("devices", args()).path("data").path("devices").path(0).path("channel").asText())
        .isEqualTo("webhook");
  }

  @Test
  void webhookIsPerUserAndCanBeCleared() throws Exception {
    commands.call("settings_set", args("user", "wendy", "webhook_url", url()));
    JsonNode refused = commands.call("settings_set", args("user", "xavier", "webhook_url", "http://example.org/hook"));
    assertThat(refused.path("ok").asBoolean()).isFalse();
    assertThat(refused.path("message").asText()).contains("https");

    // wendy turned motion off: her webhook gets nothing for motion, but gets the test notification.
    commands.call("settings_set", args("user", "wendy", "motion", false));
    client.publish(Topics.cameraEvents("cam-hook2"),
        TestEvents.json(TestEvents.motionStart("cam-hook2", Ids.newId(), true)), 1, false);
    JsonNode test = commands.call("test_webhook", args("user", "wendy"));
    assertThat(test.path("data").path("queued").asInt()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.size() == 1);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> requests.size() == 1);
    assertThat(PayloadCodec.mapper().readTree(requests.get(0).body()).path("category").asText()).isEqualTo("test");

    JsonNode cleared = commands.call("settings_set", args("user", "wendy", "webhook_url", ""));
    assertThat(cleared.path("data").path("webhook_url").isNull()).isTrue();
    assertThat(commands.call("test_webhook", args()).path("data").path("queued").asInt()).isZero();
    commands.call("settings_set", args("user", "wendy", "motion", true));
  }
}
