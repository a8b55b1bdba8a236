package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Command;
import org.mecam.events.CommandReply;
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
class UploaderCommandsTest {
  @InjectBroker
  MqttBroker broker;

  MqttTestClient client;
  BlockingQueue<MqttTestClient.Received> replies;

  @BeforeEach
  void connect() {
    client = MqttTestClient.connect(broker.url(), null, null);
    replies = client.subscribe(Topics.UPLOADER_REPLIES);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().get("/q/health/ready").then().statusCode(200));
  }

  @AfterEach
  void close() throws Exception {
    send("set_settings", Map.of("schedule", "immediate", "bandwidthMbps", 0, "enabled", true));
    client.close();
  }

  private CommandReply send(String action, Map<String, Object> args) throws Exception {
    Command c = new Command(Payload.SCHEMA, Ids.newId(), Instant.now(), action, args);
    client.publish(Topics.UPLOADER_COMMANDS, PayloadCodec.encode(c), 1, false);
    return DriveUploadTest.awaitReply(replies, c.id());
  }

  @Test
  void changesSettingsLiveAndReportsThem() throws Exception {
    CommandReply set = send("set_settings", Map.of("bandwidthMbps", 8, "parallelism", 3, "schedule", "manual"));
    assertThat(set.ok()).as(set.message()).isTrue();
    CommandReply get = send("get_settings", Map.of());
    assertThat(get.data()).containsEntry("bandwidthMbps", 8.0).containsEntry("parallelism", 3)
        .containsEntry("schedule", "manual");
    assertThat(UploaderTestResource.api().get("/api/stats").jsonPath().getDouble("bandwidthMbps")).isEqualTo(8.0);
    send("set_settings", Map.of("parallelism", 2));
  }

  @Test
  void refusesBadSettingsAndUnknownActionsWithAReason() throws Exception {
    CommandReply bad = send("set_settings", Map.of("parallelism", 0));
    assertThat(bad.ok()).isFalse();
    assertThat(bad.message()).contains("parallelism");
    assertThat(send("set_settings", Map.of("colour", "red")).message()).contains("unknown setting 'colour'");
    assertThat(send("fly_to_moon", Map.of()).message()).contains("unknown action");
    UploaderTestResource.api().get("/api/queue?state=nonsense").then().statusCode(400);
    UploaderTestResource.api().get("/api/queue?limit=0").then().statusCode(400);
  }

  @Test
  void testUploadEncryptsStoresVerifiesAndRemovesAFile() throws Exception {
    CommandReply r = send("test_upload", Map.of());
    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(r.data()).containsEntry("backend", "local");
    assertThat(((Number) r.data().get("bytes")).longValue()).isGreaterThan(64 * 1024);
  }

  @Test
  void manualScheduleHoldsClipsUntilUploadNowAndClearQueueKeepsStagedMedia() throws Exception {
    send("set_settings", Map.of("schedule", "manual"));
    byte[] bytes = TestMedia.bytes(20_000, 77);
    MediaReady clip = TestMedia.write(UploaderTestResource.ROOT.resolve("camera"), "held.mp4", bytes, "front-door",
        MediaKind.CLIP, LocalUploadTest.cameraUrl("held.mp4"));
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(clip), 1, false);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(LocalUploadTest.state(clip.id())).isEqualTo("staged"));
    assertThat(UploaderTestResource.api().get("/api/queue?state=staged").jsonPath().getInt("find { it.mediaId == '" + clip.id()
        + "' }.priority")).isEqualTo(7);
    CommandReply cleared = send("clear_queue", Map.of());
    assertThat(cleared.ok()).isTrue();
    assertThat(LocalUploadTest.state(clip.id())).isEqualTo("staged");
    CommandReply now = send("upload_now", Map.of());
    assertThat(((Number) now.data().get("released")).intValue()).isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(LocalUploadTest.state(clip.id())).isEqualTo("uploaded"));
  }

  @Test
  void answersARedeliveredCommandOnlyOnce() throws Exception {
    Command c = new Command(Payload.SCHEMA, Ids.newId(), Instant.now(), "get_settings", Map.of());
    client.publish(Topics.UPLOADER_COMMANDS, PayloadCodec.encode(c), 1, false);
    client.publish(Topics.UPLOADER_COMMANDS, PayloadCodec.encode(c), 1, false);
    DriveUploadTest.awaitReply(replies, c.id());
    CommandReply marker = send("get_settings", Map.of());
    assertThat(marker.ok()).isTrue();
    assertThat(client.received(Topics.UPLOADER_REPLIES).stream()
        .filter(r -> r.payload().contains(c.id())).count()).isEqualTo(1);
  }
}
