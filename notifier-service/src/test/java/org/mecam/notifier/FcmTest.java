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
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.fcm.FcmFailure;
import org.mecam.testkit.fcm.LoopbackFcmService;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(FcmTestResource.class)
class FcmTest {
  @InjectBroker
  MqttBroker broker;

  @InjectFcm
  LoopbackFcmService fcm;

  MqttTestClient client;
  Commands commands;

  @BeforeEach
  void setUp() throws Exception {
    client = MqttTestClient.connect(broker.url(), null, null);
    commands = new Commands(client);
    assertThat(commands.call("clear_all", args("what", "all")).path("ok").asBoolean()).isTrue();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private String register(String platform, String user) throws Exception {
    String token = "tok-" + Ids.newId();
    JsonNode reply = commands.call("fcm_register", args("token", token, "platform", platform, "device_name",
        "phone", "user", user));
    assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
    return token;
  }

  @Test
  void motionReachesPhonesWithAndroidAndApnsOptionsSnapshotAndData() throws Exception {
    String token = register("android", "frank");
    await().atMost(Duration.ofSeconds(10)).until(() -> fcm.topicMembers("mecam-all").contains(token));
    String camera = "cam-fcm";
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents(camera), TestEvents.json(TestEvents.motionStart(camera, eventId, true)), 1,
        false);
    await().atMost(Duration.ofSeconds(10)).until(() -> fcm.received(token).size() == 1);
    JsonNode m = fcm.received(token).get(0).message();
    assertThat(m.path("notification").path("title").asText()).contains(camera);
    assertThat(m.path("android").path("priority").asText()).isEqualTo("high");
    assertThat(m.path("android").path("collapse_key").asText()).isEqualTo("motion-" + camera);
    JsonNode an = m.path("android").path("notification");
    assertThat(an.path("channel_id").asText()).isEqualTo("mecam-alerts");
    assertThat(an.path("color").asText()).isEqualTo("#d32f2f");
    assertThat(an.path("icon").asText()).isEqualTo("ic_notification");
    JsonNode aps = m.path("apns").path("payload").path("aps");
    assertThat(aps.path("badge").asInt()).isEqualTo(1);
    assertThat(aps.path("sound").asText()).isEqualTo("default");
    assertThat(aps.path("category").asText()).isEqualTo("MECAM_CAMERA");
    assertThat(m.path("data").path("eventId").asText()).isEqualTo(eventId);
    assertThat(m.path("data").path("camera").asText()).isEqualTo(camera);
    assertThat(m.path("data").path("url").asText()).endsWith("/events/" + eventId);

    String mediaId = Ids.newId();
    client.publish(Topics.mediaStored(camera), TestEvents.json(TestEvents.snapshotStored(camera, eventId, mediaId)), 1,
        false);
    await().atMost(Duration.ofSeconds(10)).until(() -> fcm.received(token).size() == 2);
    JsonNode update = fcm.received(token).get(1).message();
    assertThat(update.path("notification").path("image").asText()).contains("/media/" + mediaId + "/snapshot?exp=");
    assertThat(update.path("apns").path("fcm_options").path("image").asText()).contains(mediaId);

    commands.call("fcm_unregister", args("token", token));
    await().atMost(Duration.ofSeconds(10)).until(() -> !fcm.topicMembers("mecam-all").contains(token));
  }

  @Test
  void unregisteredTokenIsRemovedAndOnlyThatOne() throws Exception {
    String gone = register("android", "gina");
    String kept = register("ios", "gina");
    fcm.failAlways(gone, FcmFailure.UNREGISTERED);
    commands.call("test_fcm", args());
    await().atMost(Duration.ofSeconds(10)).until(() -> commands.call("devices", args()).path("data")
        .path("devices").size() == 1);
    assertThat(commands.call("devices", args()).path("data").path("devices").get(0).path("id").asText())
        .isEqualTo(kept);
    assertThat(fcm.received(kept)).extracting(LoopbackFcmService.Received::status).containsExactly(200);
  }

  @Test
  void invalidTokenIsRemoved() throws Exception {
    String bad = register("web", "hank");
    fcm.failAlways(bad, FcmFailure.INVALID_ARGUMENT);
    commands.call("test_fcm", args());
    await().atMost(Duration.ofSeconds(10)).until(() -> commands.call("devices", args()).path("data")
        .path("devices").isEmpty());
  }

  @Test
  void quotaExceededBacksOffThatTokenOnly() throws Exception {
    String limited = register("android", "ivy");
    String other = register("android", "ivy");
    fcm.failOnce(limited, FcmFailure.QUOTA_EXCEEDED, "2");
    commands.call("test_fcm", args());
    await().atMost(Duration.ofSeconds(15)).until(() -> fcm.received(limited).size() == 2);
    List<LoopbackFcmService.Received> tries = fcm.received(limited);
    assertThat(tries.get(0).status()).isEqualTo(429);
    assertThat(tries.get(1).status()).isEqualTo(200);
    assertThat((tries.get(1).nanoTime() - tries.get(0).nanoTime()) / 1_000_000).isGreaterThanOrEqualTo(2000);
    LoopbackFcmService.Received o = fcm.received(other).get(0);
    assertThat(o.status()).isEqualTo(200);
    assertThat(Math.abs(o.nanoTime() - tries.get(0).nanoTime()) / 1_000_000).isLessThan(1000);
  }
}
