package org.mecam.uploader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * Runs the packaged uploader as a child process, kills it with SIGKILL at random moments while it pulls,
 * encrypts and archives media, restarts it each time, and then checks that every media item is in the
 * archive exactly once and that the packaged recovery CLI, run as its own process on the archive
 * folder, decrypts each one to the bytes (SHA-256) the camera announced.
 */
class UploaderKillIT {
  static final int ITEMS = Integer.getInteger("mecam.kill.items", 40);
  static final int KILLS = Integer.getInteger("mecam.kill.kills", 3);

  @Test
  void everyItemIsArchivedExactlyOnceAndDecryptsDespiteKillMinus9() throws Exception {
    assertThat(UploaderProcess.JAR).as("run after 'package'").exists();
    Path root = Path.of("target", "kill-it").toAbsolutePath();
    UploaderTestResource.deleteTree(root);
    Files.createDirectories(root);
    // The owner's key comes from the recovery CLI, as in real life; the uploader gets its public half.
    Path passphrase = root.resolve("passphrase");
    Files.writeString(passphrase, "correct horse battery staple\n");
    RecoveryCli.Result keygen = RecoveryCli.run(root, "keygen", "--out", root.resolve("owner.key").toString(),
        "--passphrase-file", passphrase.toString(), "--argon2-memory-kib", "19456", "--argon2-iterations", "2");
    assertThat(keygen.exitCode()).as(keygen.output()).isZero();
    Files.copy(root.resolve("owner.key.pub"), root.resolve("recipients"));
    Path tokens = root.resolve("cameras.json");
    String[] cameraIds = {"cam-a", "cam-b"};
    Random random = new Random(11);
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).start();
        FakeCamera camera = new FakeCamera(root.resolve("camera"), TestMedia.CAMERA_TOKEN);
        MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      Map<String, String> env = new HashMap<>(Map.of(
          "MECAM_MQTT_URL", broker.url(),
          "MECAM_MQTT_USERNAME", "",
          "MECAM_DATA_DIR", root.resolve("data").toString(),
          "MECAM_UPLOADER_RECIPIENTS_FILE", root.resolve("recipients").toString(),
          "MECAM_UPLOADER_CAMERAS_FILE", TestMedia.registry(tokens, camera.base(), TestMedia.CAMERA_TOKEN, cameraIds).toString(),
          "MECAM_UPLOADER_LOCAL_FOLDER", root.resolve("archive").toString(),
          "MECAM_UPLOADER_RETRY_BASE_DELAY", "100ms",
          "MECAM_UPLOADER_RETRY_MAX_DELAY", "1s",
          "MECAM_UPLOADER_POLL_INTERVAL", "100ms"));
      // Slow the uploads so kills land mid-upload: 40 Mbit/s across all workers.
      env.put("MECAM_UPLOADER_BANDWIDTH_MBPS", "40");
      UploaderProcess uploader = new UploaderProcess(env, List.of("-Xmx256m"), root.resolve("uploader.log"));
      uploader.start();
      await().atMost(Duration.ofSeconds(60)).until(uploader::ready);

      client.subscribe(Topics.ALL_MEDIA_STORED);
      List<MediaReady> media = new ArrayList<>();
      for (int i = 0; i < ITEMS; i++) {
        boolean clip = i % 4 == 0;
        String cam = i % 2 == 0 ? "cam-a" : "cam-b";
        String name = "m" + i + (clip ? ".mp4" : ".jpg");
        MediaReady m = TestMedia.write(camera.dir(), name, TestMedia.bytes(clip ? 400_000 + i : 30_000 + i, i), cam,
            clip ? MediaKind.CLIP : MediaKind.SNAPSHOT, camera.url(name));
        media.add(m);
        client.publish(Topics.cameraMedia(cam), PayloadCodec.encode(m), 1, false);
      }
      for (int k = 0; k < KILLS; k++) {
        Thread.sleep(500 + random.nextInt(2500));
        uploader.kill();
        uploader.start();
        await().atMost(Duration.ofSeconds(60)).until(uploader::ready);
      }
      await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        String stats = uploader.get("/api/stats");
        return stats != null && stats.contains("\"uploaded\":" + ITEMS + ",");
      });
      uploader.close();

      List<Path> files;
      try (Stream<Path> s = Files.walk(root.resolve("archive"))) {
        files = s.filter(p -> p.getFileName().toString().endsWith(".mecam")).toList();
      }
      assertThat(files).as("archived files").hasSize(ITEMS);
      // Decrypt the whole archive folder with the packaged recovery CLI, a separate process: it
      // authenticates every segment and checks each file's SHA-256 against its header.
      Path plain = root.resolve("recovered");
      RecoveryCli.Result decrypt = RecoveryCli.run(root, "decrypt", "-k", root.resolve("owner.key").toString(),
          "--passphrase-file", passphrase.toString(), "-o", plain.toString(), root.resolve("archive").toString());
      assertThat(decrypt.exitCode()).as(decrypt.output()).isZero();
      assertThat(decrypt.output()).contains(ITEMS + " of " + ITEMS + " files decrypted");
      List<String> shas = new ArrayList<>();
      try (Stream<Path> s = Files.walk(plain)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          shas.add(TestMedia.sha256(Files.readAllBytes(f)));
        }
      }
      assertThat(shas).as("SHA-256 of each decrypted file")
          .containsExactlyInAnyOrderElementsOf(media.stream().map(MediaReady::sha256).toList());
      // Every item was also reported as uploaded to its camera (at least once; consumers dedupe by id).
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.received(Topics.ALL_MEDIA_STORED)
          .stream().filter(r -> r.payload().contains("\"stage\":\"uploaded\""))
          .map(r -> r.payload().replaceAll(".*\"mediaId\":\"([^\"]+)\".*", "$1")).distinct().count())
          .isEqualTo(ITEMS));
    }
  }
}
