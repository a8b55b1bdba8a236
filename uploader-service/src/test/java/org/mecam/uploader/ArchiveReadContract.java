package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * What {@code /internal/archive/{mediaId}} must do whatever the backend: serve the stored encrypted
 * file byte for byte, whole or by range, and refuse what it must refuse. One subclass per backend.
 */
abstract class ArchiveReadContract {
  static final String PATH = "/internal/archive/{id}";
  MqttTestClient client;

  abstract MqttBroker broker();

  abstract Path cameraDir();

  /** The stored file exactly as the backend holds it. */
  abstract byte[] storedBytes(String mediaId) throws Exception;

  @BeforeEach
  void connect() {
    client = MqttTestClient.connect(broker().url(), null, null);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().get("/q/health/ready").then().statusCode(200));
  }

  @AfterEach
  void close() {
    client.close();
  }

  static RequestSpecification authorized() {
    return given().header("Authorization", "Bearer " + UploaderTestResource.ARCHIVE_TOKEN);
  }

  /** Publishes a media-ready for new random content and waits until it is stored. */
  String stored(String name, int size, MediaKind kind) throws Exception {
    String url = ConfigProvider.getConfig().getValue("mecam-test.camera-base", String.class) + name;
    MediaReady m = TestMedia.write(cameraDir(), name, TestMedia.bytes(size, name.hashCode()), "front-door", kind,
        url);
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(m), 1, false);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(LocalUploadTest.state(m.id())).isEqualTo("uploaded"));
    return m.id();
  }

  @Test
  void servesTheStoredEncryptedFileWholeWithItsLength() throws Exception {
    String id = stored("ar-whole.mp4", 700_000, MediaKind.CLIP);
    byte[] expected = storedBytes(id);
    Response r = authorized().get(PATH, id);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/octet-stream");
    assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(expected.length));
    assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(r.asByteArray()).isEqualTo(expected);
    assertThat(new String(expected, 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
        .as("the stored file is the encrypted format, not the media").isEqualTo("MECAM");
  }

  @Test
  void servesByteRangesAsPartialContent() throws Exception {
    String id = stored("ar-range.mp4", 600_000, MediaKind.CLIP);
    byte[] expected = storedBytes(id);
    int n = expected.length;

    Response mid = authorized().header("Range", "bytes=1000-300999").get(PATH, id);
    assertThat(mid.statusCode()).isEqualTo(206);
    assertThat(mid.header("Content-Range")).isEqualTo("bytes 1000-300999/" + n);
    assertThat(mid.header("Content-Length")).isEqualTo("300000");
    assertThat(mid.contentType()).isEqualTo("application/octet-stream");
    assertThat(mid.asByteArray()).isEqualTo(Arrays.copyOfRange(expected, 1000, 301000));

    Response tail = authorized().header("Range", "bytes=" + (n - 5000) + "-").get(PATH, id);
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.header("Content-Range")).isEqualTo("bytes " + (n - 5000) + "-" + (n - 1) + "/" + n);
    assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(expected, n - 5000, n));

    Response pastEnd = authorized().header("Range", "bytes=10-" + (n + 1000)).get(PATH, id);
    assertThat(pastEnd.statusCode()).isEqualTo(206);
    assertThat(pastEnd.header("Content-Range")).isEqualTo("bytes 10-" + (n - 1) + "/" + n);
    assertThat(pastEnd.asByteArray()).isEqualTo(Arrays.copyOfRange(expected, 10, n));

    Response first = authorized().header("Range", "bytes=0-0").get(PATH, id);
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.asByteArray()).isEqualTo(new byte[] {expected[0]});
  }

  @Test
  void refusesARangeThatStartsPastTheEndWith416() throws Exception {
    String id = stored("ar-416.jpg", 20_000, MediaKind.SNAPSHOT);
    int n = storedBytes(id).length;
    Response r = authorized().header("Range", "bytes=" + n + "-").get(PATH, id);
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.header("Content-Range")).isEqualTo("bytes */" + n);
    assertThat(authorized().header("Range", "bytes=" + (n + 10) + "-" + (n + 20)).get(PATH, id).statusCode())
        .isEqualTo(416);
  }

  @Test
  void headAnswersLengthAndRangeWithoutABody() throws Exception {
    String id = stored("ar-head.jpg", 25_000, MediaKind.SNAPSHOT);
    int n = storedBytes(id).length;
    Response whole = authorized().head(PATH, id);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(n));
    assertThat(whole.contentType()).isEqualTo("application/octet-stream");
    assertThat(whole.asByteArray()).isEmpty();
    Response part = authorized().header("Range", "bytes=100-199").head(PATH, id);
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/" + n);
    assertThat(part.header("Content-Length")).isEqualTo("100");
    assertThat(authorized().header("Range", "bytes=" + n + "-").head(PATH, id).statusCode()).isEqualTo(416);
  }

  @Test
  void refusesAMissingOrWrongTokenWith401() throws Exception {
    String id = stored("ar-auth.jpg", 5_000, MediaKind.SNAPSHOT);
    Response none = given().get(PATH, id);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(given().header("Authorization", "Bearer " + UploaderTestResource.ARCHIVE_TOKEN + "x")
        .get(PATH, id).statusCode()).isEqualTo(401);
    assertThat(given().header("Authorization", "Basic " + UploaderTestResource.ARCHIVE_TOKEN)
        .get(PATH, id).statusCode()).isEqualTo(401);
    assertThat(given().head(PATH, id).statusCode()).isEqualTo(401);
    // Even a bad id is not judged before the caller is known.
    assertThat(given().get(PATH, "bad id!").statusCode()).isEqualTo(401);
  }

  @Test
  void answers404ForAnUnknownMediaIdAnd400ForAMalformedOne() {
    assertThat(authorized().get(PATH, "0b6f3c1e-0000-4000-8000-000000000000").statusCode()).isEqualTo(404);
    assertThat(authorized().head(PATH, "0b6f3c1e-0000-4000-8000-000000000000").statusCode()).isEqualTo(404);
    assertThat(authorized().get(PATH, "bad id!").statusCode()).isEqualTo(400);
    assertThat(authorized().get(PATH, "a".repeat(65)).statusCode()).isEqualTo(400);
    assertThat(authorized().get(PATH, "..").statusCode()).isIn(400, 404);
  }
}
