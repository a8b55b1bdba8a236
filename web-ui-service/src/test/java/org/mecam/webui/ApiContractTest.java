package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/** The cloud and notification endpoints talk to the uploader and notifier over the broker; bad input is a 400. */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class ApiContractTest {
  @InjectBroker
  MqttBroker broker;

  @Test
  void cloudSettingsRoundTripThroughTheUploaderOverTheBroker() {
    try (FakeServicePeer uploader = new FakeServicePeer(broker.url(), Topics.UPLOADER_COMMANDS,
        Topics.UPLOADER_REPLIES, Map.of("enabled", true, "bandwidthMbps", 10))) {
      given().auth().oauth2(TestSetup.TOKEN).get("/api/cloud/settings").then().statusCode(200)
          .body("ok", equalTo(true)).body("data.bandwidthMbps", equalTo(10));
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{\"bandwidthMbps\": 3}")
          .post("/api/cloud/settings").then().statusCode(200).body("data.bandwidthMbps", equalTo(3));
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{\"enabled\": false}")
          .post("/api/cloud/toggle").then().statusCode(200).body("data.enabled", equalTo(false));
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{\"discard\": true}")
          .post("/api/cloud/clear_queue").then().statusCode(200);
      assertThat(uploader.received).extracting(c -> c.action())
          .containsExactly("get_settings", "set_settings", "set_settings", "clear_queue");
      assertThat(uploader.received.get(3).args()).containsEntry("discard", true);
    }
  }

  @Test
  void notificationEndpointsSendTheNotifierItsActionsWithFlatArgs() {
    try (FakeServicePeer notifier = new FakeServicePeer(broker.url(), Topics.NOTIFIER_COMMANDS,
        Topics.NOTIFIER_REPLIES, Map.of("motion", true, "quiet_start", "22:00"))) {
      given().auth().oauth2(TestSetup.TOKEN).get("/api/notifications/vapid_key").then().statusCode(200)
          .body("data.public_key", containsString("BNbx"));
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
          .body("{\"endpoint\":\"https://push.example/abc\",\"expirationTime\":null,"
              + "\"keys\":{\"p256dh\":\"BPk\",\"auth\":\"xyz\"},\"device_name\":\"laptop\"}")
          .post("/api/notifications/webpush/subscribe").then().statusCode(200);
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
          .body("{\"camera\":\"porch\",\"minutes\":30}").post("/api/notifications/snooze").then().statusCode(200);
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{\"motion\":false}")
          .post("/api/notifications/settings").then().statusCode(200).body("data.motion", equalTo(false));
      var sub = notifier.received.stream().filter(c -> c.action().equals("webpush_subscribe")).findFirst().orElseThrow();
      assertThat(sub.args()).containsEntry("endpoint", "https://push.example/abc").containsEntry("p256dh", "BPk")
          .containsEntry("auth", "xyz").containsEntry("device_name", "laptop").containsEntry("user", TestSetup.OWNER);
      // Every command carries who acts and their role, so the notifier can enforce device ownership.
      assertThat(notifier.received).allSatisfy(c -> assertThat(c.args()).containsEntry("actor", TestSetup.OWNER)
          .containsEntry("role", "owner"));
      var snooze = notifier.received.stream().filter(c -> c.action().equals("snooze_camera")).findFirst().orElseThrow();
      assertThat(snooze.args()).containsEntry("camera", "porch").containsEntry("minutes", 30);
    }
  }

  @Test
  void answers504WithAMessageWhenTheServiceDoesNotReply() {
    given().auth().oauth2(TestSetup.TOKEN).post("/api/notifications/test/webpush").then().statusCode(504)
        .body("error", containsString("notifier did not answer"));
  }

  @Test
  void malformedJsonAndWrongTypesNeverCauseA500() {
    List<String> posts = List.of("/api/cloud/settings", "/api/cloud/toggle", "/api/cloud/clear_queue",
        "/api/cloud/oauth/authorize", "/api/notifications/webpush/subscribe", "/api/notifications/webpush/unsubscribe",
        "/api/notifications/fcm/register", "/api/notifications/fcm/unregister", "/api/notifications/settings",
        "/api/notifications/snooze", "/api/notifications/clear_all", "/api/tokens");
    List<String> bodies = List.of("{", "[]", "\"text\"", "42", "null", "{\"enabled\":\"yes\"}", "{\"discard\":1}",
        "{\"endpoint\":5}", "{\"endpoint\":\"ftp://x\",\"keys\":[]}", "{\"token\":{}}", "{\"a\":{\"b\":1}}",
        "{\"camera\":\"Bad Cam\",\"minutes\":\"ten\"}", "{\"minutes\":1e99}", "{\"name\":" + "\"x\"".repeat(1) + ",\"x\":[1,2]}",
        "{\"what\":\"everything\"}", "\u0000\u0001", "{\"" + "k".repeat(70) + "\":1}");
    List<String> failures = new ArrayList<>();
    try (FakeServicePeer uploader = new FakeServicePeer(broker.url(), Topics.UPLOADER_COMMANDS,
            Topics.UPLOADER_REPLIES, Map.of());
        FakeServicePeer notifier = new FakeServicePeer(broker.url(), Topics.NOTIFIER_COMMANDS,
            Topics.NOTIFIER_REPLIES, Map.of())) {
    for (String path : posts) {
      for (String body : bodies) {
        Response r = given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body(body).post(path);
        if (r.statusCode() >= 500 && r.statusCode() != 504) {
          failures.add(path + " " + body + " -> " + r.statusCode() + " " + r.asString());
        }
        if (r.statusCode() == 400 && !r.asString().contains("\"error\"")) {
          failures.add(path + " " + body + " -> 400 without a message");
        }
      }
    }
    }
    for (String q : List.of("limit=-1", "limit=1e3", "from=2026-13-01", "to=abc", "camera=%00", "from=2026-01-02&to=2026-01-01")) {
      Response r = given().auth().oauth2(TestSetup.TOKEN).get("/api/events?" + q);
      if (r.statusCode() != 400) {
        failures.add("/api/events?" + q + " -> " + r.statusCode());
      }
    }
    assertThat(failures).isEmpty();
  }
}
