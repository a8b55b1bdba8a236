package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mecam.notifier.NotifierSkeletonTest.args;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.push.LoopbackPushService;
import org.mecam.testkit.push.LoopbackPushService.Subscription;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/**
 * Devices belong to the user who registered them (issue 12 #4): a viewer sees, tests and removes only
 * their own, cannot take over or remove the owner's endpoint or token, and removing a user deletes
 * their devices. Every refusal here was accepted by the old code.
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class DeviceOwnershipTest {
  @InjectBroker
  MqttBroker broker;

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

  private JsonNode as(String actor, String role, String action, Object... kv) throws Exception {
    var a = args(kv);
    a.put("actor", actor);
    a.put("role", role);
    return commands.call(action, a);
  }

  private static List<String> ids(JsonNode reply) {
    List<String> out = new ArrayList<>();
    reply.path("data").path("devices").forEach(d -> out.add(d.path("id").asText()));
    return out;
  }

  @Test
  void aViewerSeesTestsAndRemovesOnlyTheirOwnDevices() throws Exception {
    Subscription owners = push.newSubscription();
    Subscription viewers = push.newSubscription();
    String ownerToken = "owner-token-" + Ids.newId();
    assertThat(as("olga", "owner", "webpush_subscribe", "endpoint", owners.endpoint(), "p256dh", owners.p256dh(),
        "auth", owners.auth(), "device_name", "olga's laptop").path("ok").asBoolean()).isTrue();
    assertThat(as("olga", "owner", "fcm_register", "token", ownerToken, "platform", "android", "device_name",
        "olga's phone").path("ok").asBoolean()).isTrue();
    assertThat(as("vic", "viewer", "webpush_subscribe", "endpoint", viewers.endpoint(), "p256dh", viewers.p256dh(),
        "auth", viewers.auth(), "device_name", "vic's phone").path("ok").asBoolean()).isTrue();

    assertThat(ids(as("vic", "viewer", "devices"))).containsExactly(viewers.endpoint());
    assertThat(ids(as("olga", "owner", "devices"))).contains(owners.endpoint(), ownerToken, viewers.endpoint());

    // The owner's devices cannot be removed, taken over or re-registered by the viewer.
    JsonNode r = as("vic", "viewer", "webpush_unsubscribe", "endpoint", owners.endpoint());
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    r = as("vic", "viewer", "fcm_unregister", "token", ownerToken);
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    r = as("vic", "viewer", "webpush_subscribe", "endpoint", owners.endpoint(), "p256dh", viewers.p256dh(),
        "auth", viewers.auth(), "device_name", "mine now");
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    assertThat(r.path("message").asText()).contains("another user");
    r = as("vic", "viewer", "fcm_register", "token", ownerToken, "platform", "android", "device_name", "mine now");
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    as("olga", "owner", "settings_set", "user", "olga", "webhook_url", "https://example.com/olga");
    r = as("vic", "viewer", "webhook_remove", "user", "olga");
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    assertThat(ids(as("olga", "owner", "devices"))).contains("https://example.com/olga");
    r = as("vic", "viewer", "clear_all", "what", "devices");
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    r = as("vic", "viewer", "remove-user-devices", "user", "olga");
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    // A viewer's test goes to their own devices only, whatever user they name.
    r = as("vic", "viewer", "test_broadcast", "user", "olga");
    assertThat(r.path("data").path("queued").asInt()).as(r.toString()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(viewers).size() == 1);
    assertThat(push.received(owners)).isEmpty();

    JsonNode olgas = as("olga", "owner", "devices");
    assertThat(ids(olgas)).contains(owners.endpoint(), ownerToken);
    for (JsonNode d : olgas.path("data").path("devices")) {
      if (d.path("id").asText().equals(owners.endpoint())) {
        assertThat(d.path("device_name").asText()).isEqualTo("olga's laptop");
        assertThat(d.path("user").asText()).isEqualTo("olga");
      }
    }
    // The owner removes their webhook (the row's Remove button); the viewer removes their own device.
    r = as("olga", "owner", "webhook_remove", "user", "olga");
    assertThat(r.path("data").path("removed").asBoolean()).as(r.toString()).isTrue();
    assertThat(ids(as("olga", "owner", "devices"))).doesNotContain("https://example.com/olga");
    r = as("vic", "viewer", "webpush_unsubscribe", "endpoint", viewers.endpoint());
    assertThat(r.path("data").path("removed").asBoolean()).as(r.toString()).isTrue();
  }

  @Test
  void removingAUserDeletesTheirDevicesWithinFiveSeconds() throws Exception {
    Subscription owners = push.newSubscription();
    Subscription leaving = push.newSubscription();
    as("olga", "owner", "webpush_subscribe", "endpoint", owners.endpoint(), "p256dh", owners.p256dh(),
        "auth", owners.auth(), "device_name", "laptop");
    as("sam", "viewer", "webpush_subscribe", "endpoint", leaving.endpoint(), "p256dh", leaving.p256dh(),
        "auth", leaving.auth(), "device_name", "phone");
    as("sam", "viewer", "fcm_register", "token", "sams-token-" + Ids.newId(), "platform", "ios", "device_name", "ipad");
    as("sam", "viewer", "settings_set", "user", "sam", "webhook_url", "https://example.com/hook");

    long t0 = System.nanoTime();
    // At least once: the web UI may send it twice.
    String id = Ids.newId();
    JsonNode r = commands.call(id, "remove-user-devices", args("user", "sam", "actor", "olga", "role", "owner"));
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.path("data").path("removed").asInt()).isEqualTo(3);
    assertThat(commands.call(Ids.newId(), "remove-user-devices", args("user", "sam")).path("ok").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> ids(commands.call("devices", args())).stream()
        .noneMatch(d -> d.equals(leaving.endpoint()) || d.startsWith("sams-token") || d.contains("example.com")));
    System.out.printf("MEASURED remove-user-devices to devices gone: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    String cam = "cam-" + Ids.newId().substring(0, 8);
    client.publish(Topics.cameraEvents(cam), TestEvents.json(TestEvents.motionStart(cam, Ids.newId(), true)), 1, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(owners).size() == 1);
    assertThat(push.received(leaving)).isEmpty();
  }
}
