package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mecam.notifier.NotifierSkeletonTest.args;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.push.LoopbackPushService;
import org.mecam.testkit.push.LoopbackPushService.Push;
import org.mecam.testkit.push.LoopbackPushService.Subscription;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class WebPushTest {
  @InjectBroker
  MqttBroker broker;

  MqttTestClient client;
  Commands commands;
  LoopbackPushService push;

  @BeforeEach
  void setUp() throws Exception {
    client = MqttTestClient.connect(broker.url(), null, null);
    commands = new Commands(client);
    assertThat(commands.call("clear_all", args("what", "all")).path("ok").asBoolean()).isTrue();
    push = LoopbackPushService.start();
  }

  @AfterEach
  void tearDown() {
    push.close();
    client.close();
  }

  private Subscription subscribe(String user) throws Exception {
    Subscription s = push.newSubscription();
    JsonNode reply = commands.call("webpush_subscribe", args("endpoint", s.endpoint(), "p256dh", s.p256dh(),
        "auth", s.auth(), "device_name", "test browser", "user", user));
    assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
    return s;
  }

  private static JsonNode json(String text) throws Exception {
    return PayloadCodec.mapper().readTree(text);
  }

  @Test
  void independentReceiverValidatesVapidAndDecryptsWhatTheServiceSends() throws Exception {
    String key = commands.call("vapid_key", args()).path("data").path("public_key").asText();
    push.expectApplicationServerKey(key);
    Subscription s = subscribe("alice");
    String camera = "cam-wp";
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents(camera), TestEvents.json(TestEvents.motionStart(camera, eventId, true)), 1,
        false);

    await().atMost(Duration.ofSeconds(10)).until(() -> !push.received(s).isEmpty());
    Push p = push.received(s).get(0);
    assertThat(p.refusal()).isNull();
    assertThat(p.status()).isEqualTo(201);
    assertThat(p.claims().aud()).isEqualTo(push.origin());
    assertThat(p.claims().sub()).startsWith("mailto:");
    assertThat(p.headers().get("Urgency")).isEqualTo("high");
    assertThat(p.headers().get("Topic")).isEqualTo("motion-" + camera);
    assertThat(p.headers().get("Content-Encoding")).isEqualTo("aes128gcm");
    assertThat(Long.parseLong(p.headers().get("TTL"))).isPositive();
    JsonNode body = json(p.plaintext());
    assertThat(body.path("title").asText()).contains(camera);
    assertThat(body.path("eventId").asText()).isEqualTo(eventId);
    assertThat(body.path("tag").asText()).isEqualTo("motion-" + camera);
    assertThat(body.path("url").asText()).endsWith("/events/" + eventId);
    assertThat(body.path("actions").findValuesAsText("action")).containsExactly("view", "dismiss", "snooze", "disarm");

    // The snapshot, once stored, is sent again under the same tag with a signed, expiring link.
    String mediaId = Ids.newId();
    client.publish(Topics.mediaStored(camera), TestEvents.json(TestEvents.snapshotStored(camera, eventId, mediaId)), 1,
        false);
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(s).size() == 2);
    JsonNode update = json(push.received(s).get(1).plaintext());
    assertThat(update.path("tag").asText()).isEqualTo("motion-" + camera);
    // The link carries the user it was issued to (refused by the web UI once the user is removed).
    assertThat(update.path("image").asText())
        .matches(".*/media/" + mediaId + "/snapshot\\?exp=\\d+&u=[A-Za-z0-9._%@-]+&sig=[A-Za-z0-9_-]{43}");
    // One audible notification per motion event: the first alerts, the snapshot replaces it silently.
    assertThat(body.path("update").asBoolean()).isFalse();
    assertThat(body.path("renotify").asBoolean()).isTrue();
    assertThat(update.path("update").asBoolean()).isTrue();
    assertThat(update.path("renotify").asBoolean()).isFalse();
    assertThat(update.path("silent").asBoolean()).isTrue();
    // One JWT per push-service origin: both requests carried the same token.
    assertThat(push.received(s).get(1).claims().token()).isEqualTo(p.claims().token());

    // The push service records a push before the notifier commits the delivery, so wait for the count.
    await().atMost(Duration.ofSeconds(10)).until(() ->
        commands.call("devices", args()).path("data").path("devices").path(0).path("sent_count").asLong() == 2);
    JsonNode devices = commands.call("devices", args()).path("data").path("devices");
    assertThat(devices).hasSize(1);
    assertThat(devices.get(0).path("sent_count").asLong()).isEqualTo(2);
    assertThat(devices.get(0).path("last_used").isNull()).isFalse();
  }

  @Test
  void goneSubscriptionIsRemovedAndOnlyThatOne() throws Exception {
    Subscription gone = subscribe("bob");
    Subscription kept = subscribe("bob");
    push.respondAlways(gone, 410);
    commands.call("test_webpush", args());
    await().atMost(Duration.ofSeconds(10)).until(() -> commands.call("devices", args()).path("data")
        .path("devices").size() == 1);
    JsonNode devices = commands.call("devices", args()).path("data").path("devices");
    assertThat(devices.get(0).path("id").asText()).isEqualTo(kept.endpoint());
    assertThat(push.received(kept)).extracting(Push::status).containsExactly(201);
    assertThat(push.received(gone)).extracting(Push::status).containsExactly(410);
    commands.call("test_webpush", args());
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(kept).size() == 2);
    assertThat(push.received(gone)).hasSize(1);
  }

  @Test
  void retryAfterFiveSecondsDelaysThatEndpointAndNoOther() throws Exception {
    Subscription limited = subscribe("carol");
    Subscription other = subscribe("carol");
    push.respondOnce(limited, 429, "5");
    String first = Ids.newId();
    commands.call(first, "test_webpush", args());
    // Wait until the notifier has recorded the 429 (the endpoint is backing off from then on).
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<JsonNode> r = NotifierSkeletonTest.recordsBySource(first);
      return !r.isEmpty() && r.get(0).path("deliveries").findValuesAsText("detail").stream()
          .anyMatch(d -> d.contains("429"));
    });
    // A second notification during the back-off: the other endpoint gets it at once, the limited one waits.
    long second = System.nanoTime();
    commands.call("test_webpush", args());
    await().atMost(Duration.ofSeconds(5)).until(() -> push.received(other).size() == 2);
    assertThat((push.received(other).get(1).nanoTime() - second) / 1_000_000).isLessThan(2000);

    await().atMost(Duration.ofSeconds(20)).until(() -> push.received(limited).size() == 3);
    List<Push> tries = push.received(limited);
    assertThat(tries).extracting(Push::status).containsExactly(429, 201, 201);
    // The second notification really was sent during the back-off (else the delay below proves nothing).
    assertThat((second - tries.get(0).nanoTime()) / 1_000_000).as("second notification within the back-off")
        .isLessThan(5000);
    // Once sent on the retry, the limited endpoint's delivery still says why it took two attempts.
    await().atMost(Duration.ofSeconds(10)).until(() -> NotifierSkeletonTest.recordsBySource(first).get(0)
        .path("deliveries").findValuesAsText("status").stream().allMatch("sent"::equals));
    JsonNode limitedDelivery = null;
    for (JsonNode d : NotifierSkeletonTest.recordsBySource(first).get(0).path("deliveries")) {
      if (d.path("target").asText().equals(limited.endpoint())) {
        limitedDelivery = d;
      }
    }
    assertThat(limitedDelivery).isNotNull();
    assertThat(limitedDelivery.path("attempts").asText()).isEqualTo("2");
    assertThat(limitedDelivery.path("detail").asText()).contains("429");
    for (Push later : tries.subList(1, 3)) {
      assertThat((later.nanoTime() - tries.get(0).nanoTime()) / 1_000_000).isGreaterThanOrEqualTo(5000);
    }
    Push otherFirst = push.received(other).get(0);
    assertThat(otherFirst.status()).isEqualTo(201);
    assertThat(Math.abs(otherFirst.nanoTime() - tries.get(0).nanoTime()) / 1_000_000).isLessThan(1000);
  }

  @Test
  void payloadTooLargeIsSentAgainSmaller() throws Exception {
    Subscription s = subscribe("dave");
    push.limitBody(s, 300);
    commands.call("test_webpush", args());
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(s).size() == 2);
    assertThat(push.received(s)).extracting(Push::status).containsExactly(413, 201);
    assertThat(json(push.received(s).get(1).plaintext()).has("actions")).isFalse();
  }

  @Test
  void fiftyFirstNotificationWithinAnHourToOneSubscriberIsNotSent() throws Exception {
    Subscription s = subscribe("erin");
    String lastCommand = null;
    for (int i = 0; i < 51; i++) {
      lastCommand = Ids.newId();
      JsonNode reply = commands.call(lastCommand, "test_webpush", args("user", "erin"));
      assertThat(reply.path("data").path("queued").asInt() + reply.path("data").path("dropped").asInt()).isEqualTo(1);
      if (i == 50) {
        assertThat(reply.path("data").path("dropped").asInt()).isEqualTo(1);
      }
    }
    String last = lastCommand;
    await().atMost(Duration.ofSeconds(20)).until(() -> push.acceptedCount() == 50);
    List<JsonNode> records = NotifierSkeletonTest.recordsBySource(last);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).path("dropped").asInt()).isEqualTo(1);
    assertThat(records.get(0).path("deliveries").get(0).path("status").asText()).isEqualTo("dropped");
    assertThat(push.received(s)).hasSize(50);
  }
}
