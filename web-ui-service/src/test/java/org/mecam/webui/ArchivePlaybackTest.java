package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
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

/**
 * Clips stored by the uploader (whatever its backend) play back through the uploader's internal
 * archive endpoint, decrypted on the fly after the owner unlocks the archive key, with Range support;
 * a seek fetches only the segments it needs; failures of the uploader answer clear messages.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class ArchivePlaybackTest {
  /** Default segment size of the format plus its 16-byte tag. */
  private static final int SEALED_SEGMENT = 65536 + 16;
  /** Where a clip's agent used to serve it: nothing listens on port 1, as after the Pi was smashed. */
  private static final String GONE_AGENT = "http://127.0.0.1:1/media/x.mp4";

  @InjectBroker
  MqttBroker broker;

  @AfterEach
  void restoreUploader() {
    TestSetup.uploader.token(TestSetup.ARCHIVE_TOKEN);
    TestSetup.uploader.backendDown(false);
    TestSetup.uploader.dropConnections(false);
  }

  @Test
  void decryptsAStoredClipOnTheFlyWithRangeSupportOnlyWhileUnlocked() throws Exception {
    byte[] clip = random(300_000, 7);
    String mediaId = store(clip);
    lock();
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(423);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{\"passphrase\":\"wrong one\"}")
        .post("/api/archive/unlock").then().statusCode(400);
    unlock();
    assertThat(given().auth().oauth2(TestSetup.TOKEN).get("/api/archive").jsonPath().getBoolean("configured")).isTrue();
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
        .then().statusCode(416).header("Content-Range", "bytes */" + clip.length);

    lock();
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(423);
  }

  @Test
  void theClipPlaysFromTheArchiveOnceTheCameraNoLongerHasIt() throws Exception {
    byte[] clip = random(200_000, 8);
    String mediaId = store(clip);
    lock();
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=0-99").get("/media/" + mediaId + "/clip")
        .then().statusCode(423).body("error", containsString("unlock the archive"));
    unlock();
    byte[] part = given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=150000-150999")
        .get("/media/" + mediaId + "/clip").then().statusCode(206).contentType("video/mp4")
        .header("Accept-Ranges", "bytes").header("Content-Range", "bytes 150000-150999/" + clip.length)
        .extract().asByteArray();
    assertThat(part).isEqualTo(Arrays.copyOfRange(clip, 150000, 151000));
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=200000-").get("/media/" + mediaId + "/clip")
        .then().statusCode(416).header("Content-Range", "bytes */" + clip.length);
  }

  @Test
  void aSeekFetchesOnlyTheSegmentsItNeedsFromTheUploader() throws Exception {
    byte[] clip = random(2 * 1024 * 1024, 9);
    String mediaId = store(clip);
    unlock();
    byte[] first = given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=1000000-1000099")
        .get("/media/" + mediaId + "/archive").then().statusCode(206).extract().asByteArray();
    assertThat(first).isEqualTo(Arrays.copyOfRange(clip, 1_000_000, 1_000_100));
    List<FakeUploaderArchive.Served> opened = TestSetup.uploader.served(mediaId);
    // The header, the final segment(s) with the trailer, and the one segment holding the range.
    assertThat(opened).hasSizeLessThanOrEqualTo(4).allMatch(s -> s.status() == 206);
    assertThat(bytes(opened)).isLessThanOrEqualTo(4096 + 3L * SEALED_SEGMENT);

    byte[] second = given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=1500000-1500099")
        .get("/media/" + mediaId + "/archive").then().statusCode(206).extract().asByteArray();
    assertThat(second).isEqualTo(Arrays.copyOfRange(clip, 1_500_000, 1_500_100));
    List<FakeUploaderArchive.Served> afterSeek = TestSetup.uploader.served(mediaId);
    // Header and trailer are cached: a seek costs exactly the one sealed segment it lands in.
    assertThat(afterSeek).hasSize(opened.size() + 1);
    assertThat(afterSeek.get(afterSeek.size() - 1).bytes()).isEqualTo(SEALED_SEGMENT);

    byte[] whole = given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive")
        .then().statusCode(200).extract().asByteArray();
    assertThat(whole).isEqualTo(clip);
    // Streaming reads ahead (doubling up to 2 MiB), so 32 segments take a handful of requests.
    assertThat(TestSetup.uploader.served(mediaId).size() - afterSeek.size()).isLessThanOrEqualTo(8);
  }

  @Test
  void answersClearMessagesWhenTheUploaderCannotDeliver() throws Exception {
    unlock();
    String unknown = store(null);
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + unknown + "/archive").then().statusCode(404)
        .body("error", containsString("not in the archive"));

    String mediaId = store(random(100_000, 10));
    TestSetup.uploader.token("the uploader now expects another token");
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(502)
        .body("error", containsString("archive token"));
    TestSetup.uploader.token(TestSetup.ARCHIVE_TOKEN);

    TestSetup.uploader.backendDown(true);
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=0-9").get("/media/" + mediaId + "/clip")
        .then().statusCode(503).body("error", containsString("unavailable"))
        .body("error", containsString("Google Drive is unreachable"));
    TestSetup.uploader.backendDown(false);

    TestSetup.uploader.dropConnections(true);
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(503)
        .body("error", containsString("uploader"));
    TestSetup.uploader.dropConnections(false);

    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=10-19").get("/media/" + mediaId + "/archive")
        .then().statusCode(206);
  }

  /**
   * Issue 12 #4: the unlocked key belongs to the session that unlocked it. A viewer cannot play while
   * the owner has the archive unlocked, nor lock it for the owner; nor can the owner's other session.
   * A viewer who knows the passphrase may unlock for their own session (DESIGN: viewers may play).
   * Failed on the old code: one key for the whole process (the viewer got 200, then locked the owner out).
   */
  @Test
  void anUnlockBelongsToTheSessionThatMadeIt() throws Exception {
    byte[] clip = random(100_000, 11);
    String mediaId = store(clip);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(java.util.Map.of("username", "babysitter", "password", "viewer password 123", "role", "viewer"))
        .post("/api/users").then().statusCode(200);
    String owner = AuthFlowTest.login(TestSetup.OWNER, TestSetup.PASSWORD);
    String ownerCsrf = AuthFlowTest.csrfOf(owner);
    String ownerElsewhere = AuthFlowTest.login(TestSetup.OWNER, TestSetup.PASSWORD);
    String viewer = AuthFlowTest.login("babysitter", "viewer password 123");
    String viewerCsrf = AuthFlowTest.csrfOf(viewer);

    given().cookie("mecam_session", owner).header("X-CSRF-Token", ownerCsrf).contentType("application/json")
        .body("{\"passphrase\":\"" + TestSetup.ARCHIVE_PASSPHRASE + "\"}").post("/api/archive/unlock")
        .then().statusCode(200);
    given().cookie("mecam_session", owner).get("/media/" + mediaId + "/archive").then().statusCode(200);

    given().cookie("mecam_session", viewer).get("/api/archive").then().statusCode(200)
        .body("unlocked", org.hamcrest.Matchers.equalTo(false));
    given().cookie("mecam_session", viewer).get("/media/" + mediaId + "/archive").then().statusCode(423);
    given().cookie("mecam_session", viewer).header("Range", "bytes=0-9").get("/media/" + mediaId + "/clip")
        .then().statusCode(423);
    given().cookie("mecam_session", ownerElsewhere).get("/media/" + mediaId + "/archive").then().statusCode(423);
    given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive").then().statusCode(423);

    // The viewer's lock touches only the viewer's (empty) unlock.
    given().cookie("mecam_session", viewer).header("X-CSRF-Token", viewerCsrf).post("/api/archive/lock")
        .then().statusCode(200);
    given().cookie("mecam_session", owner).get("/media/" + mediaId + "/archive").then().statusCode(200);

    // Their own unlock plays for them; locking ends theirs and leaves the owner's.
    given().cookie("mecam_session", viewer).header("X-CSRF-Token", viewerCsrf).contentType("application/json")
        .body("{\"passphrase\":\"" + TestSetup.ARCHIVE_PASSPHRASE + "\"}").post("/api/archive/unlock")
        .then().statusCode(200);
    assertThat(given().cookie("mecam_session", viewer).get("/media/" + mediaId + "/archive").then()
        .statusCode(200).extract().asByteArray()).isEqualTo(clip);
    given().cookie("mecam_session", viewer).header("X-CSRF-Token", viewerCsrf).post("/api/archive/lock")
        .then().statusCode(200);
    given().cookie("mecam_session", viewer).get("/media/" + mediaId + "/archive").then().statusCode(423);
    given().cookie("mecam_session", owner).get("/media/" + mediaId + "/archive").then().statusCode(200);

    // Logging out ends that session's unlock with it; the owner's other session never had one.
    given().cookie("mecam_session", owner).header("X-CSRF-Token", ownerCsrf).post("/logout").then().statusCode(204);
    given().cookie("mecam_session", ownerElsewhere).get("/media/" + mediaId + "/archive").then().statusCode(423);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/babysitter").then().statusCode(200);
  }

  /**
   * Issue 12 #1 (playback side): a camera announces its clip as text/html (and the uploader recorded that
   * in the archive header); playback serves it as video/mp4 with nosniff, a Content-Disposition and a
   * sandboxing CSP, so the "clip" cannot run script as a page of this origin. Failed on the old code:
   * served as text/html under the pages' CSP.
   */
  @Test
  void mediaAnnouncedAsHtmlIsServedAsItsKindInASandbox() throws Exception {
    byte[] page = "<html><script>fetch('/api/users')</script></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (String announced : List.of("text/html", "text/javascript", "image/svg+xml")) {
      String mediaId = store(page, announced);
      unlock();
      io.restassured.response.Response r = given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/archive");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.contentType()).as(announced).isEqualTo("video/mp4");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("Content-Disposition")).startsWith("inline; filename=\"").endsWith(".mp4\"");
      assertThat(r.headers().getValues("Content-Security-Policy")).hasSize(1)
          .allSatisfy(csp -> assertThat(csp).startsWith("sandbox").contains("default-src 'none'")
              .doesNotContain("script-src"));
      io.restassured.response.Response viaClip = given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/clip");
      assertThat(viaClip.statusCode()).isEqualTo(200);
      assertThat(viaClip.contentType()).isEqualTo("video/mp4");
      assertThat(viaClip.header("Content-Security-Policy")).startsWith("sandbox");
    }
    // Pages keep their own policy.
    assertThat(given().auth().oauth2(TestSetup.TOKEN).get("/api/archive").header("Content-Security-Policy"))
        .startsWith("default-src 'self'");
  }

  /**
   * Issue 12 #6: two archived files swapped on the backend. Playback of either (whole, a range, via
   * /clip) is refused with a message that says so, never a 500 and never the other clip's plaintext;
   * the same for compressed files (streamed whole). Failed on the old code: each played the other's clip.
   */
  @Test
  void twoSwappedFilesAreRefusedWithAClearMessage() throws Exception {
    byte[] clipA = random(150_000, 21);
    byte[] clipB = random(160_000, 22);
    String a = store(clipA);
    String b = store(clipB);
    byte[] textA = "the porch, all quiet\n".repeat(4000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] textB = "the garden, a fox\n".repeat(4000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String c = store(textA, "text/plain");
    String d = store(textB, "text/plain");
    swap(a, b);
    swap(c, d);
    unlock();
    for (String id : List.of(a, b, c, d)) {
      io.restassured.response.Response r = given().auth().oauth2(TestSetup.TOKEN).get("/media/" + id + "/archive");
      assertThat(r.statusCode()).as(id).isEqualTo(409);
      assertThat(r.contentType()).startsWith("application/json");
      assertThat(r.jsonPath().getString("error")).isEqualTo("the stored file is not the clip it claims to be"
          + " (bound to another media id) — the archive may have been tampered with");
    }
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=1000-1999").get("/media/" + a + "/archive")
        .then().statusCode(409).body("error", containsString("bound to another media id"));
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=0-99").get("/media/" + b + "/clip")
        .then().statusCode(409).body("error", containsString("not the clip it claims to be"));

    // Put back as they were, both play again (the refusal left nothing cached).
    swap(a, b);
    assertThat(given().auth().oauth2(TestSetup.TOKEN).get("/media/" + a + "/archive").then().statusCode(200)
        .extract().asByteArray()).isEqualTo(clipA);
    assertThat(given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=1000-1999").get("/media/" + b + "/archive")
        .then().statusCode(206).extract().asByteArray()).isEqualTo(Arrays.copyOfRange(clipB, 1000, 2000));
  }

  /**
   * Issue 12 #6: a file archived before format version 2 (no binding) still plays when its recorded
   * SHA-256 is the one the web UI recorded for the clip; a version-1 file planted with the owner's
   * public key under a clip's id, whose SHA-256 differs, is refused. Failed on the old code (the planted
   * file played).
   */
  @Test
  void versionOneFilesPlayOnlyWithTheRecordedSha256() throws Exception {
    byte[] clip = random(140_000, 23);
    String old = store(clip, "video/mp4", false, sha256(clip));
    byte[] oldText = "archived before bindings\n".repeat(3000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String oldCompressed = store(oldText, "text/plain", false, sha256(oldText));
    byte[] planted = random(140_000, 24);
    String victim = store(planted, "video/mp4", false, sha256(clip));
    unlock();
    assertThat(given().auth().oauth2(TestSetup.TOKEN).get("/media/" + old + "/archive").then().statusCode(200)
        .extract().asByteArray()).isEqualTo(clip);
    assertThat(given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=70000-70099")
        .get("/media/" + old + "/archive").then().statusCode(206).extract().asByteArray())
        .isEqualTo(Arrays.copyOfRange(clip, 70000, 70100));
    assertThat(given().auth().oauth2(TestSetup.TOKEN).get("/media/" + oldCompressed + "/archive").then()
        .statusCode(200).extract().asByteArray()).isEqualTo(oldText);

    io.restassured.response.Response r = given().auth().oauth2(TestSetup.TOKEN).get("/media/" + victim + "/archive");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.jsonPath().getString("error")).isEqualTo("the stored file is not the clip it claims to be"
        + " (not bound to a media id, and its SHA-256 differs from the one recorded for this clip)"
        + " — the archive may have been tampered with");
    given().auth().oauth2(TestSetup.TOKEN).header("Range", "bytes=0-99").get("/media/" + victim + "/clip")
        .then().statusCode(409).body("error", containsString("tampered"));
  }

  private static void swap(String a, String b) {
    byte[] x = TestSetup.uploader.get(a);
    TestSetup.uploader.put(a, TestSetup.uploader.get(b));
    TestSetup.uploader.put(b, x);
  }

  private static String sha256(byte[] data) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }

  /**
   * Encrypts the clip to the owner key bound to its camera and media id (as the uploader writes it),
   * hands it to the fake uploader and announces it on the broker with its SHA-256.
   */
  private String store(byte[] clip) throws Exception {
    return store(clip, "video/mp4");
  }

  private String store(byte[] clip, String contentType) throws Exception {
    return store(clip, contentType, true, clip == null ? "0".repeat(64) : sha256(clip));
  }

  /** As above; {@code bound} false writes format version 1; {@code sha256} is what the camera announces. */
  private String store(byte[] clip, String contentType, boolean bound, String sha256) throws Exception {
    String mediaId = Ids.newId();
    int length = clip == null ? 1000 : clip.length;
    if (clip != null) {
      ByteArrayOutputStream sealed = new ByteArrayOutputStream();
      EncryptionParams.Builder params = EncryptionParams.builder()
          .contentType(contentType).recipient(TestSetup.ownerRecipient);
      if (bound) {
        params.binding("attic", mediaId);
      }
      MediaEncryptor.encrypt(new ByteArrayInputStream(clip), sealed, params.build());
      TestSetup.uploader.put(mediaId, sealed.toByteArray());
    }
    Instant start = Instant.parse("2026-03-04T23:59:30Z");
    MediaReady ready = new MediaReady(Payload.SCHEMA, mediaId, "attic", start, Ids.newId(), MediaKind.CLIP,
        "2026-03-04/" + mediaId + ".mp4", GONE_AGENT, sha256, length, contentType, start,
        start.plusSeconds(20));
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraMedia("attic"), Fixtures.json(ready), 1, false);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().auth().oauth2(TestSetup.TOKEN).get("/api/media/" + mediaId).then().statusCode(200));
    return mediaId;
  }

  private static void unlock() {
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body("{\"passphrase\":\"" + TestSetup.ARCHIVE_PASSPHRASE + "\"}").post("/api/archive/unlock")
        .then().statusCode(200);
  }

  private static void lock() {
    given().auth().oauth2(TestSetup.TOKEN).post("/api/archive/lock").then().statusCode(200);
  }

  private static long bytes(List<FakeUploaderArchive.Served> served) {
    return served.stream().mapToLong(FakeUploaderArchive.Served::bytes).sum();
  }

  private static byte[] random(int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
