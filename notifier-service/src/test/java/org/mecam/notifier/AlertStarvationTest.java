package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mecam.notifier.NotifierSkeletonTest.args;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Alert;
import org.mecam.events.Ids;
import org.mecam.events.Topics;
import org.mecam.notifier.store.NotifierDatabase;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.push.LoopbackPushService;
import org.mecam.testkit.push.LoopbackPushService.Subscription;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/**
 * One camera that floods alerts cannot silence the others (issue 12 #3): {@code cam-evil} publishes 200
 * alerts of every kind and severity, and still {@code cam-good}'s motion and its going offline reach the
 * owner's browser within 2 s; the flood itself is reported once. On the old code the 50-per-hour limit
 * per device, shared by every camera and category, dropped both.
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class AlertStarvationTest {
  @InjectBroker
  MqttBroker broker;

  @Inject
  NotifierDatabase db;

  MqttTestClient client;
  Commands commands;
  LoopbackPushService push;

  @BeforeEach
  void setUp() throws Exception {
    client = MqttTestClient.connect(broker.url(), null, null);
    commands = new Commands(client);
    commands.call("clear_all", args("what", "all"));
    push = LoopbackPushService.start();
  }

  @AfterEach
  void tearDown() {
    push.close();
    client.close();
  }

  private long count(String sql, Object... params) throws Exception {
    return db.read(c -> {
      try (var ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        try (var rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private List<JsonNode> pushedFrom(Subscription s, String camera) throws Exception {
    return push.received(s).stream().map(p -> {
      try {
        return TriggersTest.PayloadCodecHolder.read(p.plaintext());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(n -> n.path("title").asText().contains(camera)).toList();
  }

  @Test
  void aFloodingCameraCannotSilenceAnotherCamerasMotionOrOfflineAlert() throws Exception {
    Subscription s = push.newSubscription();
    JsonNode reply = commands.call("webpush_subscribe", args("endpoint", s.endpoint(), "p256dh", s.p256dh(),
        "auth", s.auth(), "device_name", "owner's phone", "user", "ann"));
    assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
    String evil = "cam-evil-" + Ids.newId().substring(0, 6);
    String good = "cam-good-" + Ids.newId().substring(0, 6);

    Alert.Kind[] kinds = Alert.Kind.values();
    Alert.Severity[] severities = Alert.Severity.values();
    for (int i = 0; i < 200; i++) {
      Alert a = new Alert(1, Ids.newId(), java.time.Instant.now(), evil, kinds[i % kinds.length],
          severities[(i / kinds.length) % severities.length], i % 2 == 0, "flood " + i);
      client.publish(Topics.cameraAlerts(evil), TestEvents.json(a), 1, false);
    }
    await().atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT COUNT(*) FROM notification WHERE camera=? AND source_id IS NOT NULL", evil) == 200);
    int evilPushed = pushedFrom(s, evil).size();

    long t0 = System.nanoTime();
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents(good), TestEvents.json(TestEvents.motionStart(good, eventId, true)), 1, false);
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
        .until(() -> pushedFrom(s, good).size() == 1);
    long motionMs = (System.nanoTime() - t0) / 1_000_000;

    long t1 = System.nanoTime();
    client.publish(Topics.cameraAvailability(good), Topics.OFFLINE.getBytes(StandardCharsets.UTF_8), 1, false);
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
        .until(() -> pushedFrom(s, good).size() == 2);
    long offlineMs = (System.nanoTime() - t1) / 1_000_000;
    Log.infof("cam-good while cam-evil flooded 200 alerts: motion pushed in %d ms, offline in %d ms;"
        + " %d of cam-evil's notifications pushed", motionMs, offlineMs, evilPushed);
    System.out.printf("MEASURED motion=%d ms offline=%d ms evilPushed=%d%n", motionMs, offlineMs, evilPushed);

    JsonNode offline = TriggersTest.PayloadCodecHolder.read(push.received(s).get(push.received(s).size() - 1)
        .plaintext());
    assertThat(offline.path("title").asText()).contains(good).contains("offline");
    // The flood was reported exactly once, and it took only a bounded share of the device's hour.
    List<JsonNode> evilNotes = pushedFrom(s, evil);
    assertThat(evilNotes.stream().filter(n -> n.path("title").asText().contains("flooding")).count())
        .as("one flood report").isEqualTo(1);
    assertThat(evilNotes.size()).isLessThanOrEqualTo(25);
    // Everything else is in the history, held back by the alert cool-down or the camera's hourly limit.
    assertThat(count("SELECT COUNT(*) FROM notification WHERE camera=? AND status='throttled'", evil)).isPositive();
    assertThat(count("SELECT COUNT(*) FROM notification WHERE camera=? AND status IN ('throttled','grouped')", evil))
        .isGreaterThanOrEqualTo(200 - 25);
  }
}
