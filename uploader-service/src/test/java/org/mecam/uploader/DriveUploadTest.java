package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.events.Alert;
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
import org.mecam.testkit.drive.DriveFake;
import org.mecam.testkit.drive.DriveFault;
import org.mecam.testkit.drive.FakeFile;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = DriveTestResource.class, restrictToAnnotatedClass = true)
class DriveUploadTest {
  @InjectBroker
  MqttBroker broker;

  @DriveTestResource.InjectDrive
  DriveFake drive;

  MqttTestClient client;
  Path cameraDir = DriveTestResource.DRIVE_ROOT.resolve("camera");

  @BeforeEach
  void connect() {
    drive.failureRate(0);
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

  private MediaReady publish(String name, int size, MediaKind kind) throws Exception {
    MediaReady m = TestMedia.write(cameraDir, name, TestMedia.bytes(size, name.hashCode()), "front-door", kind,
        cameraUrl(name));
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(m), 1, false);
    return m;
  }

  private FakeFile fileOf(String mediaId) {
    List<FakeFile> f = drive.mediaFiles().stream()
        .filter(x -> mediaId.equals(x.appProperties().get("mecamMediaId"))).toList();
    assertThat(f).as("files on Drive for media %s", mediaId).hasSize(1);
    return f.get(0);
  }

  @Test
  void uploadsEncryptedFilesIntoDateFoldersWithMultipartAndResumableUploads() throws Exception {
    MediaReady snap = publish("d-snap.jpg", 30_000, MediaKind.SNAPSHOT);
    MediaReady clip = publish("d-clip.mp4", 1_300_000, MediaKind.CLIP); // > 256 KiB chunks: resumable
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(LocalUploadTest.state(snap.id())).isEqualTo("uploaded");
      assertThat(LocalUploadTest.state(clip.id())).isEqualTo("uploaded");
    });
    for (MediaReady m : List.of(snap, clip)) {
      FakeFile f = fileOf(m.id());
      assertThat(f.name()).matches("[0-9a-f]{32}\\.mecam");
      FakeFile day = drive.files().stream().filter(x -> x.id().equals(f.parents().get(0))).findFirst().orElseThrow();
      assertThat(day.isFolder()).isTrue();
      assertThat(day.appProperties().get("mecamFolder")).isEqualTo("2026/11/26");
      assertThat(TestMedia.sha256(decrypt(f.content()))).isEqualTo(m.sha256());
    }
    assertThat(drive.requestLog()).anyMatch(l -> l.contains("uploadType=multipart"))
        .anyMatch(l -> l.contains("uploadType=resumable"));
    // Folders are created once: one per level.
    assertThat(drive.files().stream().filter(FakeFile::isFolder).count()).isEqualTo(4);
  }

  @Test
  void neverUploadsAMediaIdThatIsAlreadyOnDrive() throws Exception {
    String mediaId = Ids.newId();
    FakeFile existing = drive.put("x.mecam", List.of(), Map.of("mecamMediaId", mediaId), new byte[] {1, 2, 3},
        Instant.now());
    byte[] bytes = TestMedia.bytes(1000, 9);
    Files.createDirectories(cameraDir.resolve("2026-11-26"));
    Files.write(cameraDir.resolve("2026-11-26/" + mediaId + ".jpg"), bytes);
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    MediaReady m = new MediaReady(Payload.SCHEMA, mediaId, "front-door", t, Ids.newId(), MediaKind.SNAPSHOT,
        "2026-11-26/" + mediaId + ".jpg", cameraUrl("dup.jpg"), TestMedia.sha256(bytes), bytes.length, "image/jpeg", t, t);
    client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(m), 1, false);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(LocalUploadTest.state(mediaId)).isEqualTo("uploaded"));
    assertThat(fileOf(mediaId).id()).isEqualTo(existing.id());
  }

  @Test
  void uploadsEverythingDespiteThirtyPercentFailedRequests() throws Exception {
    drive.retryAfterSeconds(0).failureRate(0.3);
    List<MediaReady> media = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      media.add(publish("f" + i + (i % 3 == 0 ? ".mp4" : ".jpg"), i % 3 == 0 ? 700_000 : 20_000,
          i % 3 == 0 ? MediaKind.CLIP : MediaKind.SNAPSHOT));
    }
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (MediaReady m : media) {
        assertThat(LocalUploadTest.state(m.id())).as(m.id()).isEqualTo("uploaded");
      }
    });
    assertThat(drive.faultsInjected()).isGreaterThan(3);
    for (MediaReady m : media) {
      assertThat(TestMedia.sha256(decrypt(fileOf(m.id()).content()))).isEqualTo(m.sha256());
    }
  }

  @Test
  void resumesAnInterruptedResumableUploadWhereItStoppedInsteadOfStartingOver() throws Exception {
    // The second chunk breaks off mid-way, the third gets a 503: the uploader asks Drive how much
    // arrived and goes on in the same session.
    drive.failNextChunk(DriveFault.CONNECTION_RESET, DriveFault.UNAVAILABLE);
    int before = drive.requestLog().size();
    MediaReady clip = publish("r-clip.mp4", 1_100_000, MediaKind.CLIP);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(LocalUploadTest.state(clip.id())).isEqualTo("uploaded"));
    assertThat(TestMedia.sha256(decrypt(fileOf(clip.id()).content()))).isEqualTo(clip.sha256());
    List<String> log = drive.requestLog().subList(before, drive.requestLog().size());
    assertThat(log.stream().filter(l -> l.startsWith("POST /upload/drive/v3/files?uploadType=resumable")).count())
        .as("one upload session only").isEqualTo(1);
    assertThat(drive.faultsInjected()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void pausesAndAsksForRelinkWhenGoogleRevokesTheTokenThenResumesAfterAuthorizing() throws Exception {
    var alerts = client.subscribe(Topics.ALERTS);
    var replies = client.subscribe(Topics.UPLOADER_REPLIES);
    drive.revokeAll();
    MediaReady snap = publish("revoked.jpg", 5000, MediaKind.SNAPSHOT);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(alerts.stream()
        .map(r -> LocalUploadTest.decode(r, Alert.class))
        .anyMatch(a -> a.kind() == Alert.Kind.DRIVE_RELINK && a.active())).isTrue());
    assertThat(LocalUploadTest.state(snap.id())).isIn("staged", "uploading");
    assertThat(UploaderTestResource.api().get("/api/stats").jsonPath().getString("blockedReason")).contains("re-linked");

    Command start = new Command(Payload.SCHEMA, Ids.newId(), Instant.now(), "oauth_authorize", Map.of());
    client.publish(Topics.UPLOADER_COMMANDS, PayloadCodec.encode(start), 1, false);
    CommandReply r = awaitReply(replies, start.id());
    assertThat(r.ok()).as(r.message()).isTrue();
    String url = (String) r.data().get("authorizeUrl");
    assertThat(url).contains("code_challenge=").contains("access_type=offline").contains("drive.file");
    // The "browser": the fake consents at once and redirects to the uploader's loopback listener.
    HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("linked to Google Drive");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(LocalUploadTest.state(snap.id())).isEqualTo("uploaded"));
    assertThat(Files.readString(DriveTestResource.DRIVE_ROOT.resolve("secrets/drive-token"))).startsWith("1//refresh-");
    assertThat(Files.getPosixFilePermissions(DriveTestResource.DRIVE_ROOT.resolve("secrets/drive-token")).toString())
        .doesNotContain("OTHERS").doesNotContain("GROUP");

    Command status = new Command(Payload.SCHEMA, Ids.newId(), Instant.now(), "oauth_status", Map.of());
    client.publish(Topics.UPLOADER_COMMANDS, PayloadCodec.encode(status), 1, false);
    assertThat(awaitReply(replies, status.id()).data().get("linked")).isEqualTo(true);
  }

  @Test
  void keepsItemsWithoutSpendingAttemptsAndAlertsWhileDriveIsFullThenUploadsThem() throws Exception {
    var alerts = client.subscribe(Topics.ALERTS);
    long used = drive.files().stream().mapToLong(FakeFile::size).sum();
    drive.quotaBytes(used); // not one more byte fits
    int before = drive.requestLog().size();
    try {
      MediaReady snap = publish("full.jpg", 6000, MediaKind.SNAPSHOT);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(alerts.stream()
          .map(r -> LocalUploadTest.decode(r, Alert.class))
          .anyMatch(a -> a.kind() == Alert.Kind.STORAGE_QUOTA && a.active())).isTrue());
      // Several pauses (drive.quota-retry is 1 s here) later, the item is still waiting, no attempt spent;
      // with attempts counted it would have failed for good long before (5 attempts, 50 ms backoff).
      await().atMost(Duration.ofSeconds(20)).until(() -> drive.requestLog().subList(before, drive.requestLog().size())
          .stream().filter(l -> l.startsWith("POST /upload/drive/v3/files") && l.contains("uploadType=multipart"))
          .count() >= 3);
      var item = UploaderTestResource.api().get("/api/queue?limit=10000").jsonPath();
      String path = "find { it.mediaId == '" + snap.id() + "' }";
      assertThat(item.getString(path + ".state")).isIn("staged", "uploading");
      assertThat(item.getInt(path + ".attempts")).isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(UploaderTestResource.api().get("/api/stats").jsonPath().getString("blockedReason")).contains("quota"));

      drive.quotaBytes(Long.MAX_VALUE); // the owner freed space
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(LocalUploadTest.state(snap.id())).isEqualTo("uploaded"));
      assertThat(TestMedia.sha256(decrypt(fileOf(snap.id()).content()))).isEqualTo(snap.sha256());
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alerts.stream()
          .map(r -> LocalUploadTest.decode(r, Alert.class))
          .anyMatch(a -> a.kind() == Alert.Kind.STORAGE_QUOTA && !a.active())).isTrue());
    } finally {
      drive.quotaBytes(Long.MAX_VALUE);
    }
  }

  @jakarta.inject.Inject
  org.mecam.uploader.service.Cleanup cleanup;

  @jakarta.inject.Inject
  org.mecam.uploader.service.RuntimeSettings settings;

  @Test
  void housekeepingDeletesOldRemoteFilesAndUploadedStagingCopies() throws Exception {
    FakeFile old = drive.put("old.mecam", List.of(), Map.of("mecamMediaId", Ids.newId()), new byte[] {1},
        Instant.now().minus(Duration.ofDays(40)));
    FakeFile fresh = drive.put("new.mecam", List.of(), Map.of("mecamMediaId", Ids.newId()), new byte[] {2},
        Instant.now().minus(Duration.ofDays(2)));
    MediaReady snap = publish("keep.jpg", 2000, MediaKind.SNAPSHOT);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(LocalUploadTest.state(snap.id())).isEqualTo("uploaded"));
    Path staged = DriveTestResource.DRIVE_ROOT.resolve("data/staging").resolve(snap.id());
    assertThat(staged).exists();
    settings.update(Map.of("retentionDays", 30, "stagingKeepDays", 0));
    try {
      assertThat(cleanup.applyRetention()).isEqualTo(1);
      assertThat(drive.files()).extracting(FakeFile::id).doesNotContain(old.id()).contains(fresh.id());
      assertThat(cleanup.cleanStaging()).isGreaterThanOrEqualTo(1);
      assertThat(staged).doesNotExist();
    } finally {
      settings.update(Map.of("retentionDays", 0, "stagingKeepDays", 1));
    }
  }

  static CommandReply awaitReply(java.util.concurrent.BlockingQueue<MqttTestClient.Received> q, String commandId)
      throws InterruptedException {
    long end = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < end) {
      MqttTestClient.Received r = q.poll(1, java.util.concurrent.TimeUnit.SECONDS);
      if (r != null) {
        CommandReply reply = LocalUploadTest.decode(r, CommandReply.class);
        if (reply.commandId().equals(commandId)) {
          return reply;
        }
      }
    }
    throw new AssertionError("no reply to command " + commandId);
  }

  static byte[] decrypt(Path f) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(f)) {
      MediaDecryptor.decrypt(in, out, UploaderTestResource.owner(DriveTestResource.DRIVE_ROOT));
    }
    return out.toByteArray();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
