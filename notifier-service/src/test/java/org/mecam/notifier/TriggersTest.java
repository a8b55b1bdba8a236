package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mecam.notifier.NotifierSkeletonTest.args;
import static org.mecam.notifier.NotifierSkeletonTest.records;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.Topics;
import org.mecam.notifier.service.DailySummary;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.push.LoopbackPushService;
import org.mecam.testkit.push.LoopbackPushService.Subscription;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class TriggersTest {
  @InjectBroker
  MqttBroker broker;

  @Inject
  DailySummary summary;

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

  private Subscription subscribe(String user) throws Exception {
    Subscription s = push.newSubscription();
    JsonNode reply = commands.call("webpush_subscribe", args("endpoint", s.endpoint(), "p256dh", s.p256dh(),
        "auth", s.auth(), "device_name", "browser", "user", user));
    assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
    return s;
  }

  private static String camera() {
    return "cam-" + Ids.newId().substring(0, 8);
  }

  private String motion(String camera) {
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents(camera), TestEvents.json(TestEvents.motionStart(camera, eventId, true)), 1,
        false);
    return eventId;
  }

  private static String status(String eventId) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> records(eventId).size() == 1);
    return records(eventId).get(0).path("status").asText();
  }

  @Test
  void burstOfMotionWithinTheCooldownIsOneNotification() throws Exception {
    Subscription s = subscribe("kim");
    String cam = camera();
    String first = motion(cam);
    String second = motion(cam);
    assertThat(status(first)).isEqualTo("sent");
    assertThat(status(second)).isEqualTo("grouped");
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(s).size() == 1);
    assertThat(records(second).get(0).path("tag").asText()).isEqualTo("motion-" + cam);
  }

  @Test
  void quietHoursHoldBackMotionButSecurityBreaksThrough() throws Exception {
    Subscription s = subscribe("lee");
    LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    JsonNode set = commands.call("settings_set", args("user", "lee", "quiet_start", now.minusHours(1).toString(),
        "quiet_end", now.plusHours(1).toString(), "timezone", "UTC"));
    assertThat(set.path("ok").asBoolean()).as(set.toString()).isTrue();
    String cam = camera();
    assertThat(status(motion(cam))).isEqualTo("suppressed");
    client.publish(Topics.cameraAvailability(cam), Topics.OFFLINE.getBytes(StandardCharsets.UTF_8), 1, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(s).size() == 1);
    JsonNode body = PayloadCodecHolder.read(push.received(s).get(0).plaintext());
    assertThat(body.path("category").asText()).isEqualTo("security");
    assertThat(body.path("title").asText()).contains(cam).contains("offline");
    assertThat(push.received(s).get(0).headers().get("Urgency")).isEqualTo("high");
  }

  @Test
  void preferencesTurnCategoriesOffPerUser() throws Exception {
    Subscription wants = subscribe("max");
    Subscription doesNot = subscribe("ned");
    commands.call("settings_set", args("user", "ned", "motion", false));
    JsonNode got = commands.call("settings_get", args("user", "ned")).path("data");
    assertThat(got.path("motion").asBoolean()).isFalse();
    assertThat(got.path("security").asBoolean()).isTrue();
    motion(camera());
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(wants).size() == 1);
    assertThat(push.received(doesNot)).isEmpty();
  }

  @Test
  void snoozedCameraSendsNoMotionAndDisarmedEventsAreQuiet() throws Exception {
    subscribe("otto");
    String cam = camera();
    JsonNode reply = commands.call("snooze_camera", args("camera", cam, "minutes", 60));
    assertThat(reply.path("ok").asBoolean()).isTrue();
    assertThat(status(motion(cam))).isEqualTo("snoozed");
    String other = camera();
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents(other), TestEvents.json(TestEvents.motionStart(other, eventId, false)), 1,
        false);
    assertThat(status(eventId)).isEqualTo("quiet");
    assertThat(push.received()).isEmpty();
  }

  @Test
  void dailySummaryGoesOutOnceToUsersWhoWantIt() throws Exception {
    Subscription wants = subscribe("pia");
    Subscription doesNot = subscribe("quinn");
    commands.call("settings_set", args("user", "pia", "daily_summary", true));
    Instant evening = Instant.parse("2031-01-01T21:00:00Z")
        .plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(1, 5000)));
    assertThat(summary.runIfDue(evening.minus(Duration.ofHours(2)))).isEmpty();
    Plan plan = summary.runIfDue(evening).orElseThrow();
    assertThat(plan.targets()).isEqualTo(1);
    assertThat(summary.runIfDue(evening.plus(Duration.ofMinutes(1)))).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> push.received(wants).size() == 1);
    assertThat(PayloadCodecHolder.read(push.received(wants).get(0).plaintext()).path("category").asText())
        .isEqualTo("summary");
    assertThat(push.received(doesNot)).isEmpty();
  }

  @Test
  void badCommandArgumentsAreRefusedWithAReason() throws Exception {
    JsonNode r = commands.call("webpush_subscribe", args("endpoint", "http://example.com/push", "p256dh", "x",
        "auth", "y", "device_name", "d", "user", "u"));
    assertThat(r.path("ok").asBoolean()).isFalse();
    assertThat(r.path("message").asText()).contains("https");
    assertThat(commands.call("settings_set", args("user", "u", "quiet_start", "25:00")).path("message").asText())
        .contains("HH:MM");
    assertThat(commands.call("fcm_register", args("token", "t", "platform", "nokia", "device_name", "d", "user",
        "u")).path("ok").asBoolean()).isFalse();
    assertThat(commands.call("no_such_action", args()).path("message").asText()).contains("unknown action");
    String id = Ids.newId();
    JsonNode once = commands.call(id, "vapid_key", args());
    JsonNode again = commands.call(id, "vapid_key", args());
    assertThat(again.path("id").asText()).isEqualTo(once.path("id").asText());
  }

  /** Reads JSON text. */
  static final class PayloadCodecHolder {
    static JsonNode read(String text) throws Exception {
      return org.mecam.events.PayloadCodec.mapper().readTree(text);
    }
  }
}
