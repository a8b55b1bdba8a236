package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.MotionEvent;
import org.mecam.events.MotionEvent.Phase;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/** Events published on the real broker reach the events API once, merged by event id. */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class EventIngestTest {
  @InjectBroker
  MqttBroker broker;

  @Test
  void listsAMotionEventPublishedOnTheBrokerOnceEvenWhenPublishedTwice() {
    String camera = "porch-" + System.nanoTime() % 100000;
    String eventId = Ids.newId();
    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    MotionEvent e = Fixtures.motion(camera, eventId, Phase.START, start);
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraEvents(camera), Fixtures.json(e), 1, false);
      client.publish(Topics.cameraEvents(camera), Fixtures.json(e), 1, false);
      client.publish(Topics.cameraMedia(camera),
          Fixtures.json(Fixtures.snapshot(camera, eventId, "http://127.0.0.1:1/s.jpg", start)), 1, false);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().auth().oauth2(TestSetup.TOKEN).queryParam("camera", camera)
            .when().get("/api/events").then().log().ifValidationFails().statusCode(200).body("$", hasSize(1))
            .body("[0].snapshotMediaId", org.hamcrest.Matchers.notNullValue()));
    JsonPath body = given().auth().oauth2(TestSetup.TOKEN).queryParam("camera", camera)
        .get("/api/events").jsonPath();
    assertThat(body.getString("[0].eventId")).isEqualTo(eventId);
    assertThat(body.getString("[0].phase")).isEqualTo("start");
  }

  @Test
  void aCameraCannotRepointAnotherCamerasMedia() {
    String good = "good-" + System.nanoTime() % 100000;
    String evil = "evil-" + System.nanoTime() % 100000;
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    org.mecam.events.MediaReady mine = Fixtures.snapshot(good, Ids.newId(), "http://127.0.0.1:1/media/mine.jpg", at);
    org.mecam.events.MediaReady theirs = new org.mecam.events.MediaReady(mine.schema(), mine.id(), evil, at,
        Ids.newId(), mine.kind(), mine.path(), "http://127.0.0.1:2/media/evil.jpg", mine.sha256(), mine.size(),
        "text/html", at, at);
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraMedia(good), Fixtures.json(mine), 1, false);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestSetup.TOKEN)
          .get("/api/media/" + mine.id()).then().statusCode(200));
      client.publish(Topics.cameraMedia(evil), Fixtures.json(theirs), 1, false);
      // A marker from the evil camera proves its reuse was processed before we look.
      org.mecam.events.MediaReady marker = Fixtures.snapshot(evil, Ids.newId(), "http://127.0.0.1:2/media/m.jpg", at);
      client.publish(Topics.cameraMedia(evil), Fixtures.json(marker), 1, false);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestSetup.TOKEN)
          .get("/api/media/" + marker.id()).then().statusCode(200));
    }
    JsonPath m = given().auth().oauth2(TestSetup.TOKEN).get("/api/media/" + mine.id()).jsonPath();
    assertThat(m.getString("media.camera")).isEqualTo(good);
    assertThat(m.getString("media.url")).isEqualTo(mine.url());
    assertThat(m.getString("media.contentType")).isEqualTo("image/jpeg");
  }

  @Test
  void updatesOneRowInPlaceFromStartToEndEvenWhenEndArrivesFirst() {
    String camera = "yard";
    String eventId = Ids.newId();
    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraEvents(camera), Fixtures.json(Fixtures.motion(camera, eventId, Phase.END, start)), 1, false);
      client.publish(Topics.cameraEvents(camera), Fixtures.json(Fixtures.motion(camera, eventId, Phase.START, start)), 1, false);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonPath body = given().auth().oauth2(TestSetup.TOKEN).get("/api/events/" + eventId).jsonPath();
      assertThat(body.getString("phase")).isEqualTo("end");
      assertThat(body.getString("endedAt")).isNotNull();
    });
    List<String> ids = given().auth().oauth2(TestSetup.TOKEN).queryParam("camera", camera)
        .get("/api/events").jsonPath().getList("eventId");
    assertThat(ids).containsOnlyOnce(eventId);
  }

  @Test
  void camerasShowRetainedStateAndAvailability() {
    String camera = "hall";
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraState(camera), Fixtures.json(Fixtures.state(camera, true, Instant.now())), 1, true);
      client.publish(Topics.cameraAvailability(camera), "online", 1, true);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().auth().oauth2(TestSetup.TOKEN).get("/api/cameras/" + camera).then().statusCode(200)
            .body("online", org.hamcrest.Matchers.is(true)).body("armed", org.hamcrest.Matchers.is(true)));
  }

  @Test
  void rejectsBadQueryParametersWith400AndAMessage() {
    given().auth().oauth2(TestSetup.TOKEN).queryParam("limit", "lots").get("/api/events")
        .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("limit"));
    given().auth().oauth2(TestSetup.TOKEN).queryParam("from", "yesterday").get("/api/events")
        .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("from"));
    given().auth().oauth2(TestSetup.TOKEN).queryParam("camera", "Bad Camera!").get("/api/events")
        .then().statusCode(400);
  }
}
