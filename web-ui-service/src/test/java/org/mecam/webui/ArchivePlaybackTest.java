package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/** A clip in the encrypted local archive plays after unlocking the owner key, with Range requests. */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class ArchivePlaybackTest {
  @InjectBroker
  MqttBroker broker;

  @Test
  void decryptsAnArchivedClipOnTheFlyWithRangeSupportOnlyWhileUnlocked() throws Exception {
    byte[] clip = new byte[300_000];
    new Random(7).nextBytes(clip);
    String mediaId = Ids.newId();
    Instant start = Instant.parse("2026-03-04T23:59:30Z");
    // Where the uploader's local-folder backend puts it: YYYY/MM/DD/<hex(HMAC(names key, "media:"+id))[:16 bytes]>.mecam
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HexFormat.of().parseHex(TestSetup.NAMES_KEY_HEX), "HmacSHA256"));
    String name = HexFormat.of().formatHex(mac.doFinal(("media:" + mediaId).getBytes(StandardCharsets.UTF_8)), 0, 16);
    Path file = TestSetup.archiveDir.resolve(DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC)
        .format(start)).resolve(name + ".mecam");
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      MediaEncryptor.encrypt(new ByteArrayInputStream(clip), out, EncryptionParams.builder()
          .contentType("video/mp4").recipient(TestSetup.ownerRecipient).build());
    }
    MediaReady ready = new MediaReady(Payload.SCHEMA, mediaId, "attic", start, Ids.newId(), MediaKind.CLIP,
        "2026-03-04/" + mediaId + ".mp4", "http://127.0.0.1:1/media/x.mp4", "0".repeat(64), clip.length,
        "video/mp4", start, start.plusSeconds(20));
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraMedia("attic"), Fixtures.json(ready), 1, false);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().auth().oauth2(TestSetup.TOKEN).get("/api/media/" + mediaId).then().statusCode(200));

    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(423);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{\"passphrase\":\"wrong one\"}")
        .post("/api/archive/unlock").then().statusCode(400);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body("{\"passphrase\":\"" + TestSetup.ARCHIVE_PASSPHRASE + "\"}").post("/api/archive/unlock")
        .then().statusCode(200);
    assertThat(given().auth().oauth2(TestSetup.TOKEN).get("/api/archive").jsonPath().getBoolean("unlocked")).isTrue();

    byte[] whole = given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive")
        .then().statusCode(200).header("Accept-Ranges", "bytes").contentType("video/mp4").extract().asByteArray();
    assertThat(whole).isEqualTo(clip);
    byte[] part = given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=131000-131099")
        .get("/media/" + mediaId + "/archive").then().statusCode(206)
        .header("Content-Range", "bytes 131000-131099/" + clip.length).extract().asByteArray();
    assertThat(part).isEqualTo(Arrays.copyOfRange(clip, 131000, 131100));
    byte[] tail = given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=-10")
        .get("/media/" + mediaId + "/archive").then().statusCode(206).extract().asByteArray();
    assertThat(tail).isEqualTo(Arrays.copyOfRange(clip, clip.length - 10, clip.length));
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=999999-").get("/media/" + mediaId + "/archive")
        .then().statusCode(416);

    given().auth().oauth2(TestSetup.TOKEN).post("/api/archive/lock").then().statusCode(200);
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(423);
  }
}
