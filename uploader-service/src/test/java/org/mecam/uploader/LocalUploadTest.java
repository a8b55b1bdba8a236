package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.events.Alert;
import org.mecam.events.MediaFailed;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MediaStored;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = UploaderTestResource.class, restrictToAnnotatedClass = true)
class LocalUploadTest {
  @InjectBroker
  MqttBroker broker;

  MqttTestClient client;
  Path cameraDir = UploaderTestResource.ROOT.resolve("camera");
  Path archive = UploaderTestResource.ROOT.resolve("archive");

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

  static String cameraUrl(String name) {
    return ConfigProvider.getConfig().getValue("mecam-test.camera-base", String.class) + name;
  }

  @Test
  void pullsEncryptsAndArchivesSnapshotAndClipThenReportsBothStages() throws Exception {
    var stored = client.subscribe(Topics.ALL_MEDIA_STORED);
    byte[] clipBytes = TestMedia.bytes(3 * 1024 * 1024 + 17, 1);
    byte[] snapBytes = TestMedia.bytes(40_000, 2);
    MediaReady clip = TestMedia.write(cameraDir, "clip1.mp4", clipBytes, "front-door", MediaKind.CLIP,
        cameraUrl("clip1.mp4"));
    MediaReady snap = TestMedia.write(cameraDir, "snap1.jpg", snapBytes, "front-door", MediaKind.SNAPSHOT,
        cameraUrl("snap1.jpg"));
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(clip), 1, false);
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(snap), 1, false);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(state(clip.id())).isEqualTo("uploaded");
      assertThat(state(snap.id())).isEqualTo("uploaded");
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stages(clip.id()))
        .containsExactly(MediaStored.Stage.STAGED, MediaStored.Stage.UPLOADED));
    assertThat(stages(snap.id())).containsExactly(MediaStored.Stage.STAGED, MediaStored.Stage.UPLOADED);

    List<Path> files = archived();
    Map<String, byte[]> bySha = new java.util.HashMap<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      assertThat(name).matches("[0-9a-f]{32}\\.mecam").doesNotContain("front");
      assertThat(archive.relativize(f).toString()).startsWith("2026/11/26/");
      byte[] plain = decrypt(f);
      bySha.put(TestMedia.sha256(plain), plain);
      assertThat(indexOf(Files.readAllBytes(f), java.util.Arrays.copyOfRange(plain, 1000, 1064)))
          .as("plaintext must not appear in the archived file").isEqualTo(-1);
    }
    assertThat(bySha).containsKeys(clip.sha256(), snap.sha256());
    assertThat(bySha.get(clip.sha256())).isEqualTo(clipBytes);
  }

  @Test
  void copiesFromTheSharedMediaRootWithoutHttp() throws Exception {
    byte[] bytes = TestMedia.bytes(10_000, 3);
    // The URL names nothing the camera serves: only the shared copy can succeed.
    MediaReady m = TestMedia.write(UploaderTestResource.ROOT.resolve("shared/garden"), "s.jpg", bytes,
        "garden", MediaKind.SNAPSHOT, cameraUrl("missing.jpg"));
    client.publish(Topics.cameraMedia("garden"), PayloadCodec.encode(m), 1, false);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state(m.id())).isEqualTo("uploaded"));
  }

  @Test
  void failsForGoodAfterRetriesWhenTheCameraRefusesAndRaisesAnAlert() throws Exception {
    var failed = client.subscribe(Topics.ALL_MEDIA_FAILED);
    var alerts = client.subscribe(Topics.ALERTS);
    byte[] bytes = TestMedia.bytes(1000, 4);
    // "lobby" is registered with a token its camera does not accept: the camera answers 401 every time.
    MediaReady m = TestMedia.write(cameraDir, "lobby.jpg", bytes, "lobby", MediaKind.SNAPSHOT,
        cameraUrl("lobby.jpg"));
    client.publish(Topics.cameraMedia("lobby"), PayloadCodec.encode(m), 1, false);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(state(m.id())).isEqualTo("failed"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<MediaFailed> f = failed.stream().map(r -> decode(r, MediaFailed.class))
          .filter(x -> x.mediaId().equals(m.id())).toList();
      assertThat(f).hasSize(5);
      assertThat(f.get(4).permanent()).isTrue();
      // Issue 12: the camera learns no more than "refused"; the reason is the owner's (queue, alert).
      assertThat(f.get(4).reason()).isEqualTo("refused");
      assertThat(UploaderTestResource.api().get("/api/queue?state=failed").jsonPath()
          .getString("find { it.mediaId == '" + m.id() + "' }.lastError")).contains("refused the token");
      assertThat(alerts.stream().map(r -> decode(r, Alert.class))
          .anyMatch(a -> a.kind() == Alert.Kind.UPLOAD_FAILING && a.active() && m.camera().equals(a.camera())))
          .isTrue();
    });
    Map<String, Object> stats = UploaderTestResource.api().get("/api/stats").jsonPath().getMap("");
    assertThat(((Number) stats.get("failed")).intValue()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void rejectsAFileWhoseHashDoesNotMatch() throws Exception {
    byte[] bytes = TestMedia.bytes(5000, 5);
    MediaReady good = TestMedia.write(cameraDir, "tampered.jpg", bytes, "front-door", MediaKind.SNAPSHOT,
        cameraUrl("tampered.jpg"));
    bytes[100] ^= 1;
    Files.write(cameraDir.resolve("tampered.jpg"), bytes);
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(good), 1, false);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(state(good.id())).isEqualTo("failed"));
    String error = UploaderTestResource.api().get("/api/queue?state=failed").jsonPath()
        .getString("find { it.mediaId == '" + good.id() + "' }.lastError");
    assertThat(error).contains("SHA-256 mismatch");
  }

  private List<MediaStored.Stage> stages(String mediaId) {
    return client.received(Topics.ALL_MEDIA_STORED).stream().map(r -> decode(r, MediaStored.class))
        .filter(s -> s.mediaId().equals(mediaId)).map(MediaStored::stage).toList();
  }

  private List<Path> archived() throws Exception {
    try (Stream<Path> s = Files.walk(archive)) {
      return s.filter(p -> p.toString().endsWith(".mecam")).toList();
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static byte[] decrypt(Path f) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(f)) {
      MediaDecryptor.decrypt(in, out, UploaderTestResource.owner());
    }
    return out.toByteArray();
  }

  static String state(String mediaId) {
    return UploaderTestResource.api().get("/api/queue?limit=10000").jsonPath().getString("find { it.mediaId == '" + mediaId + "' }.state");
  }

  static <T extends org.mecam.events.Payload> T decode(MqttTestClient.Received r, Class<T> type) {
    try {
      return PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8), type);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
