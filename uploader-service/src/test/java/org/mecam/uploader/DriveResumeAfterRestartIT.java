package org.mecam.uploader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.drive.DriveFake;
import org.mecam.testkit.drive.FakeFile;

/**
 * Kills the packaged uploader with SIGKILL while a clip is half-way through a resumable Drive upload,
 * starts it again, and lets the Drive fake show that the new process went on in the same upload
 * session from the offset Drive had committed, instead of starting a new upload.
 */
class DriveResumeAfterRestartIT {
  static final long CHUNK = 256 * 1024;

  @Test
  void resumesTheSameUploadSessionFromTheCommittedOffsetAfterKillMinus9() throws Exception {
    assertThat(UploaderProcess.JAR).as("run after 'package'").exists();
    Path root = Path.of("target", "drive-resume-it").toAbsolutePath();
    UploaderTestResource.deleteTree(root);
    Files.createDirectories(root);
    OwnerKeyPair owner = OwnerKeyPair.generate();
    Files.writeString(root.resolve("recipients"), owner.recipient().toText() + "\n");
    Path tokens = root.resolve("cameras.json");
    String[] cameraIds = {"cam-a"};
    Path driveToken = root.resolve("drive-token");
    Path clientSecret = root.resolve("client-secret");
    Files.writeString(driveToken, "1//resume-refresh");
    Files.writeString(clientSecret, "test-secret");
    for (Path p : List.of(driveToken, clientSecret)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).start();
        FakeCamera camera = new FakeCamera(root.resolve("camera"), TestMedia.CAMERA_TOKEN);
        DriveFake drive = DriveFake.start(root.resolve("drive-fake"));
        MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      drive.acceptRefreshToken("1//resume-refresh");
      // A slow link (512 KiB/s into Drive) so the kill lands mid-upload.
      drive.slowLink(512 * 1024);
      Map<String, String> env = new HashMap<>(Map.of(
          "MECAM_MQTT_URL", broker.url(),
          "MECAM_MQTT_USERNAME", "",
          "MECAM_DATA_DIR", root.resolve("data").toString(),
          "MECAM_UPLOADER_RECIPIENTS_FILE", root.resolve("recipients").toString(),
          "MECAM_UPLOADER_CAMERAS_FILE", TestMedia.registry(tokens, camera.base(), TestMedia.CAMERA_TOKEN, cameraIds).toString(),
          "MECAM_UPLOADER_BACKEND", "drive",
          "MECAM_UPLOADER_POLL_INTERVAL", "100ms"));
      env.putAll(Map.of(
          "MECAM_UPLOADER_DRIVE_CLIENT_ID", "test-client.apps.googleusercontent.com",
          "MECAM_UPLOADER_DRIVE_CLIENT_SECRET_FILE", clientSecret.toString(),
          "MECAM_UPLOADER_DRIVE_TOKEN_FILE", driveToken.toString(),
          "MECAM_UPLOADER_DRIVE_ROOT_URL", drive.rootUrl(),
          "MECAM_UPLOADER_DRIVE_TOKEN_URI", drive.tokenUrl(),
          "MECAM_UPLOADER_DRIVE_AUTH_URI", drive.authUrl(),
          "MECAM_UPLOADER_DRIVE_CHUNK_KIB", "256",
          "MECAM_UPLOADER_DRIVE_RETRY_BASE_MILLIS", "20",
          "MECAM_UPLOADER_RETRY_BASE_DELAY", "100ms",
          "MECAM_UPLOADER_RETRY_MAX_DELAY", "1s"));
      UploaderProcess uploader = new UploaderProcess(env, List.of("-Xmx256m"), root.resolve("uploader.log"));
      uploader.start();
      await().atMost(Duration.ofSeconds(60)).until(uploader::ready);

      MediaReady clip = TestMedia.write(camera.dir(), "big.mp4", TestMedia.bytes(3 * 1024 * 1024, 5), "cam-a",
          MediaKind.CLIP, camera.url("big.mp4"));
      client.publish(Topics.cameraMedia("cam-a"), PayloadCodec.encode(clip), 1, false);

      // Wait until Drive has committed more than two chunks of one session, then kill -9.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
          drive.openUploads().values().stream().anyMatch(n -> n > 2 * CHUNK));
      uploader.kill();
      // The chunk on the wire when the process died ends on Drive's side once the socket is closed.
      await().atMost(Duration.ofSeconds(30)).until(() -> drive.sessionPutsInFlight() == 0);
      assertThat(drive.openUploads()).as("one open upload session").hasSize(1);
      String session = drive.openUploads().keySet().iterator().next();
      long committedAtKill = drive.openUploads().get(session);
      int putsBeforeRestart = drive.sessionPuts().size();
      drive.slowLink(0);

      uploader.start();
      await().atMost(Duration.ofSeconds(60)).until(uploader::ready);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
          drive.mediaFiles().stream().anyMatch(f -> clip.id().equals(f.appProperties().get("mecamMediaId"))));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        String stats = uploader.get("/api/stats");
        return stats != null && stats.contains("\"uploaded\":1,");
      });
      uploader.close();

      assertThat(drive.requestLog().stream()
          .filter(l -> l.startsWith("POST /upload/drive/v3/files") && l.contains("uploadType=resumable")).count())
          .as("upload sessions started").isEqualTo(1);
      List<DriveFake.SessionPut> after = drive.sessionPuts().subList(putsBeforeRestart, drive.sessionPuts().size());
      assertThat(after).as("PUTs after the restart").isNotEmpty().allMatch(p -> p.uploadId().equals(session));
      // The new process first asks Drive how much arrived, then sends from exactly there.
      DriveFake.SessionPut query = after.get(0);
      assertThat(query.contentRange()).startsWith("bytes */");
      assertThat(query.committedBefore()).isEqualTo(committedAtKill).isGreaterThan(2 * CHUNK);
      DriveFake.SessionPut resumed = after.get(1);
      assertThat(resumed.contentRange()).startsWith("bytes " + committedAtKill + "-");
      long total = Long.parseLong(query.contentRange().substring("bytes */".length()));
      assertThat(after.get(after.size() - 1).committedAfter()).isEqualTo(total);

      FakeFile stored = drive.mediaFiles().stream()
          .filter(f -> clip.id().equals(f.appProperties().get("mecamMediaId"))).findFirst().orElseThrow();
      assertThat(drive.mediaFiles()).as("exactly one copy on Drive").hasSize(1);
      assertThat(stored.size()).isEqualTo(total);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = Files.newInputStream(stored.content())) {
        MediaDecryptor.decrypt(in, out, owner);
      }
      assertThat(TestMedia.sha256(out.toByteArray())).isEqualTo(clip.sha256());
      assertThat(Files.readString(root.resolve("uploader.log"))).contains("resuming upload of");
    }
  }
}
