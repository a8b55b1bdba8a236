package org.mecam.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
class NotifierSkeletonTest {
  @InjectBroker
  MqttBroker broker;

  MqttTestClient client;

  @BeforeEach
  void connect() {
    client = MqttTestClient.connect(broker.url(), null, null);
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void motionStartPublishedTwiceBecomesExactlyOneNotification() throws Exception {
    String camera = "cam-" + Ids.newId().substring(0, 8);
    String eventId = Ids.newId();
    BlockingQueue<MqttTestClient.Received> sent = client.subscribe(Topics.NOTIFIER_SENT);
    byte[] event = TestEvents.json(TestEvents.motionStart(camera, eventId, true));
    client.publish(Topics.cameraEvents(camera), event, 1, false);
    client.publish(Topics.cameraEvents(camera), event, 1, false);

    MqttTestClient.Received announced = sent.poll(10, TimeUnit.SECONDS);
    assertThat(announced).isNotNull();
    assertThat(announced.payload()).contains(camera).contains("\"category\":\"motion\"");
    await().atMost(Duration.ofSeconds(10)).until(() -> records(eventId).size() == 1);
    // A marker event published after the duplicate proves the duplicate was handled (and ignored).
    String marker = Ids.newId();
    client.publish(Topics.cameraEvents(camera), TestEvents.json(TestEvents.motionStart(camera, marker, false)), 1,
        false);
    await().atMost(Duration.ofSeconds(10)).until(() -> records(marker).size() == 1);
    assertThat(records(eventId)).hasSize(1);
    assertThat(records(marker).get(0).get("status").asText()).isEqualTo("quiet");
  }

  @Test
  void malformedPayloadsOnEverySubscribedTopicAreDeadLetteredAndServiceStaysUp() throws Exception {
    BlockingQueue<MqttTestClient.Received> dead = client.subscribe(Topics.deadLetter("notifier"));
    String cam = "cam-bad";
    String validMotion = new String(TestEvents.json(TestEvents.motionStart(cam, Ids.newId(), true)),
        StandardCharsets.UTF_8);
    List<String> jsonTopics = List.of(Topics.cameraEvents(cam), Topics.cameraAlerts(cam), Topics.ALERTS,
        Topics.mediaStored(cam), Topics.cameraState(cam), Topics.NOTIFIER_COMMANDS);
    List<byte[]> bad = List.of(
        "not json at all".getBytes(StandardCharsets.UTF_8),
        "{\"schema\":2,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
        validMotion.replace("\"schema\":1", "\"schema\":1,\"surprise\":true").getBytes(StandardCharsets.UTF_8),
        junk(1024 * 1024));
    int expected = 0;
    for (String topic : jsonTopics) {
      for (byte[] payload : bad) {
        client.publish(topic, payload, 1, false);
        expected++;
      }
    }
    // Camera mismatch: a valid motion event of another camera on this camera's topic.
    client.publish(Topics.cameraEvents("cam-other"), validMotion.getBytes(StandardCharsets.UTF_8), 1, false);
    expected++;
    client.publish(Topics.cameraAvailability(cam), "maybe".getBytes(StandardCharsets.UTF_8), 1, false);
    expected++;

    List<JsonNode> letters = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (letters.size() < expected && System.nanoTime() < deadline) {
      MqttTestClient.Received r = dead.poll(1, TimeUnit.SECONDS);
      if (r != null) {
        letters.add(PayloadCodec.mapper().readTree(r.payload()));
      }
    }
    assertThat(letters).hasSize(expected);
    assertThat(letters).allSatisfy(l -> assertThat(l.get("reason").asText()).isNotBlank());
    assertThat(letters).anySatisfy(l -> assertThat(l.get("reason").asText()).contains("not JSON"));
    assertThat(letters).anySatisfy(l -> assertThat(l.get("reason").asText()).contains("schema version"));
    assertThat(letters).anySatisfy(l -> assertThat(l.get("reason").asText()).contains("unknown field"));
    assertThat(letters).anySatisfy(l -> assertThat(l.get("reason").asText()).contains("too large"));
    assertThat(letters).anySatisfy(l -> assertThat(l.get("reason").asText()).contains("does not match topic"));
    assertThat(letters).anySatisfy(l -> assertThat(l.get("reason").asText()).contains("availability"));
    for (String topic : jsonTopics) {
      assertThat(letters).anySatisfy(l -> assertThat(l.get("topic").asText()).isEqualTo(topic));
    }

    given().get("/q/health/ready").then().statusCode(200);
    String eventId = Ids.newId();
    client.publish(Topics.cameraEvents("cam-good"), TestEvents.json(TestEvents.motionStart("cam-good", eventId, true)),
        1, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> records(eventId).size() == 1);
  }

  @Test
  void badRestInputIsA400() {
    given().header("Authorization", "Bearer " + apiToken()).queryParam("limit", "lots").get("/api/notifications")
        .then().statusCode(400);
    given().header("Authorization", "Bearer " + apiToken()).queryParam("limit", "0").get("/api/notifications")
        .then().statusCode(400);
  }

  static List<JsonNode> records(String eventId) throws Exception {
    String body = given().header("Authorization", "Bearer " + apiToken()).queryParam("limit", "200")
        .get("/api/notifications").then().statusCode(200)
        .extract().asString();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : PayloadCodec.mapper().readTree(body)) {
      if (eventId.equals(n.path("eventId").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  static List<JsonNode> recordsBySource(String sourceId) throws Exception {
    String body = given().header("Authorization", "Bearer " + apiToken()).queryParam("limit", "200")
        .get("/api/notifications").then().statusCode(200)
        .extract().asString();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : PayloadCodec.mapper().readTree(body)) {
      if (sourceId.equals(n.path("sourceId").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  private static byte[] junk(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  /** The service token the notifier made in its test data directory (the guard of /api/...). */
  static String apiToken() {
    return org.mecam.secrets.SecretFiles.read(java.nio.file.Path.of("target", "test-data", "api.token"),
        "service API token");
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
