package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.mecam.events.Alert;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;
import org.mecam.uploader.service.RuntimeSettings;

/** The queue cap as the running service applies it: media beyond it waits on its camera, with one alert. */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = QueueCapTest.SmallQueue.class, restrictToAnnotatedClass = true)
class QueueCapTest {
  /** The usual set-up with room for two items. */
  public static class SmallQueue extends UploaderTestResource {
    @Override
    protected Map<String, String> extra(Path root) {
      return Map.of("mecam.uploader.queue-cap", "2");
    }
  }

  @InjectBroker
  MqttBroker broker;

  @Inject
  RuntimeSettings settings;

  static List<String> states(List<MediaReady> media) {
    var json = UploaderTestResource.api().get("/api/queue?limit=10000").jsonPath();
    return media.stream().map(m -> json.getString("find { it.mediaId == '" + m.id() + "' }.state")).toList();
  }

  static long count(MqttTestClient client, boolean active) {
    return client.received(Topics.ALERTS).stream().map(r -> LocalUploadTest.decode(r, Alert.class))
        .filter(a -> a.kind() == Alert.Kind.QUEUE_FULL && a.active() == active).count();
  }

  @Test
  void leavesMediaBeyondTheCapOnTheCameraWithOneAlertThenTakesItInWhenThereIsRoom() throws Exception {
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          given().get("/q/health/ready").then().statusCode(200));
      client.subscribe(Topics.ALERTS);
      // With uploads paused the first two items stay in the queue (staged) and fill it.
      settings.update(Map.of("enabled", false));
      try {
        Path dir = UploaderTestResource.ROOT.resolve("camera");
        String base = ConfigProvider.getConfig().getValue("mecam-test.camera-base", String.class);
        List<MediaReady> media = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          MediaReady m = TestMedia.write(dir, "cap" + i + ".jpg", TestMedia.bytes(3000 + i, i), "front-door",
              MediaKind.SNAPSHOT, base + "cap" + i + ".jpg");
          media.add(m);
          client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(m), 1, false);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(states(media))
            .containsExactlyInAnyOrder("staged", "staged", "waiting", "waiting", "waiting"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count(client, true) >= 1);
        assertThat(count(client, true)).as("one alert for the problem, not one per item").isEqualTo(1);
        assertThat(UploaderTestResource.api().get("/api/stats").jsonPath().getInt("states.waiting")).isEqualTo(3);
        assertThat(UploaderTestResource.api().get("/api/stats").jsonPath().getString("activeAlerts.queue-full")).contains("full");

        settings.update(Map.of("enabled", true));
        // Room appears as items upload: the waiting ones are pulled in turn and the alert is cleared.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(states(media))
            .containsOnly("uploaded"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count(client, false) >= 1);
        assertThat(UploaderTestResource.api().get("/api/stats").jsonPath().getMap("activeAlerts")).doesNotContainKey("queue-full");
      } finally {
        settings.update(Map.of("enabled", true));
      }
    }
  }
}
