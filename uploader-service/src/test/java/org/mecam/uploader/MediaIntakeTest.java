package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.DeadLetter;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = UploaderTestResource.class, restrictToAnnotatedClass = true)
class MediaIntakeTest {
  @InjectBroker
  MqttBroker broker;

  MqttTestClient client;

  @BeforeEach
  void connect() {
    client = MqttTestClient.connect(broker.url(), null, null);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().get("/q/health/ready").then().statusCode(200));
  }

  @AfterEach
  void close() {
    client.close();
  }

  static MediaReady media(String camera, MediaKind kind) {
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    String id = Ids.newId();
    // The agent's shape: <day>/<media id>.<jpg|mp4>, relative to its media directory, type by kind.
    String path = "2026-11-26/" + id + (kind == MediaKind.CLIP ? ".mp4" : ".jpg");
    return new MediaReady(Payload.SCHEMA, id, camera, t, Ids.newId(), kind, path,
        "http://127.0.0.1:9/media/" + path, "0".repeat(64), 10,
        kind == MediaKind.CLIP ? "video/mp4" : "image/jpeg", t, t);
  }

  @Test
  void recordsAMediaItemExactlyOnceWhenPublishedTwice() {
    MediaReady m = media("front-door", MediaKind.SNAPSHOT);
    BlockingQueue<MqttTestClient.Received> dead = client.subscribe(Topics.deadLetter("uploader"));
    byte[] json = PayloadCodec.encode(m);
    client.publish(Topics.cameraMedia("front-door"), json, 1, false);
    client.publish(Topics.cameraMedia("front-door"), json, 1, false);
    // A third, different message proves both copies were processed before we look.
    MediaReady marker = media("front-door", MediaKind.CLIP);
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(marker), 1, false);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mediaIds()).contains(marker.id()));
    assertThat(mediaIds().stream().filter(m.id()::equals).count()).isEqualTo(1);
    UploaderTestResource.api().get("/api/queue").then().statusCode(200);
    Map<String, Object> item = UploaderTestResource.api().get("/api/queue").jsonPath().getList("findAll { it.mediaId == '"
        + m.id() + "' }", Map.class).get(0);
    assertThat(item.get("priority")).isEqualTo(2);
    assertThat(item.get("camera")).isEqualTo("front-door");
    Map<String, Object> clip = UploaderTestResource.api().get("/api/queue").jsonPath().getList("findAll { it.mediaId == '"
        + marker.id() + "' }", Map.class).get(0);
    assertThat(clip.get("priority")).isEqualTo(5);
    assertThat(dead).isEmpty();
  }

  @Test
  void deadLettersMalformedMediaReadyAndStaysUp() throws Exception {
    BlockingQueue<MqttTestClient.Received> dead = client.subscribe(Topics.deadLetter("uploader"));
    String topic = Topics.cameraMedia("garden");
    String valid = new String(PayloadCodec.encode(media("garden", MediaKind.CLIP)), StandardCharsets.UTF_8);
    client.publish(topic, "this is not json", 1, false);
    client.publish(topic, valid.replace("\"schema\":1", "\"schema\":2"), 1, false);
    client.publish(topic, valid.replace("{", "{\"colour\":\"red\","), 1, false);
    byte[] junk = new byte[1024 * 1024];
    new java.util.Random(7).nextBytes(junk);
    client.publish(topic, junk, 1, false);
    client.publish(Topics.cameraMedia("garage"), valid.getBytes(StandardCharsets.UTF_8), 1, false);

    List<String> reasons = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      MqttTestClient.Received r = dead.poll(15, TimeUnit.SECONDS);
      assertThat(r).as("dead letter %d", i + 1).isNotNull();
      DeadLetter letter = PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8),
          DeadLetter.class);
      assertThat(letter.service()).isEqualTo("uploader");
      reasons.add(letter.reason());
    }
    assertThat(reasons.get(0)).contains("not JSON");
    assertThat(reasons.get(1)).contains("schema version");
    assertThat(reasons.get(2)).contains("unknown field 'colour'");
    assertThat(reasons.get(3)).contains("too large");
    assertThat(reasons.get(4)).contains("does not match topic camera");
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void publishesRetainedStatisticsOnTheBroker() {
    client.subscribe(Topics.UPLOADER_STATS);
    client.await(Topics.UPLOADER_STATS, Duration.ofSeconds(15));
    // A client that subscribes later gets the last snapshot at once, flagged retained.
    try (MqttTestClient late = MqttTestClient.connect(broker.url(), null, null)) {
      late.subscribe(Topics.UPLOADER_STATS);
      MqttTestClient.Received stats = late.await(Topics.UPLOADER_STATS, Duration.ofSeconds(5));
      assertThat(stats.retained()).isTrue();
      assertThat(stats.payload()).contains("\"queuedByPriority\"").contains("\"schema\":1");
    }
  }

  @Test
  void exposesPrometheusMetrics() {
    String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(body).contains("mecam_broker_connected").contains("mecam_uploader_queue_size");
  }

  private List<String> mediaIds() {
    return UploaderTestResource.api().get("/api/queue?limit=10000").jsonPath().getList("mediaId", String.class);
  }
}
