package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.MotionEvent.Phase;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/** Malformed input on every subscribed topic is dead-lettered with a reason; the service stays up. */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class DeadLetterTest {
  @InjectBroker
  MqttBroker broker;

  static final List<String> TOPICS = List.of(
      Topics.cameraEvents("dl-cam"), Topics.cameraMedia("dl-cam"), Topics.cameraState("dl-cam"),
      Topics.cameraAvailability("dl-cam"), Topics.cameraAlerts("dl-cam"), Topics.ALERTS,
      Topics.mediaStored("dl-cam"), Topics.NOTIFIER_SENT, Topics.UPLOADER_STATS,
      Topics.UPLOADER_REPLIES, Topics.NOTIFIER_REPLIES);

  @Test
  void deadLettersMalformedPayloadsOnEverySubscribedTopicAndStaysUp() throws Exception {
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.subscribe(Topics.deadLetter("web-ui"));
      for (String topic : TOPICS) {
        client.publish(topic, "not json {", 1, false);
        client.publish(topic, "{\"schema\":2,\"id\":\"x\"}", 1, false);
        client.publish(topic, new byte[1024 * 1024], 1, false);
      }
      // A camera id in the payload that differs from the topic's.
      client.publish(Topics.cameraEvents("dl-other"), Fixtures.json(
          Fixtures.motion("dl-cam", Ids.newId(), Phase.START, Instant.now())), 1, false);
      int expected = TOPICS.size() * 3 + 1;
      await().atMost(Duration.ofSeconds(30)).until(() ->
          client.received().stream().filter(r -> r.topic().equals(Topics.deadLetter("web-ui"))).count()
              >= expected);
      List<MqttTestClient.Received> letters = client.received().stream()
          .filter(r -> r.topic().equals(Topics.deadLetter("web-ui"))).toList();
      Set<String> topics = letters.stream()
          .map(r -> io.restassured.path.json.JsonPath.from(r.payload()).getString("topic"))
          .collect(Collectors.toSet());
      assertThat(topics).containsAll(TOPICS);
      assertThat(letters).allSatisfy(r ->
          assertThat(io.restassured.path.json.JsonPath.from(r.payload()).getString("reason")).isNotBlank());
      assertThat(letters.stream().anyMatch(r -> r.payload().contains("does not match topic camera"))).isTrue();
    }
    given().get("/q/health/ready").then().statusCode(200);
    String eventId = Ids.newId();
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraEvents("dl-cam"), Fixtures.json(
          Fixtures.motion("dl-cam", eventId, Phase.START, Instant.now())), 1, false);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().auth().oauth2(TestSetup.TOKEN).get("/api/events/" + eventId).then().statusCode(200));
  }
}
