package org.mecam.uploader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * A 1 GiB clip pulled over HTTP, encrypted and archived by the packaged uploader running with
 * {@code -Xmx128m}; it then decrypts to the same SHA-256. Writes ~4 GiB to disk, so it runs only with
 * {@code -Dmecam.large=true} (see docs/benchmarks.md).
 */
@EnabledIfSystemProperty(named = "mecam.large", matches = "true")
class LargeClipIT {
  @Test
  void uploadsAOneGibClipWith128MibHeap() throws Exception {
    long size = Long.getLong("mecam.large.bytes", 1L << 30);
    Path root = Path.of("target", "large-it").toAbsolutePath();
    UploaderTestResource.deleteTree(root);
    Files.createDirectories(root.resolve("camera"));
    OwnerKeyPair owner = OwnerKeyPair.generate();
    Files.writeString(root.resolve("recipients"), owner.recipient().toText() + "\n");
    Path tokens = root.resolve("cameras.json");
    String[] cameraIds = {"big"};
    Path clip = root.resolve("camera/big.mp4");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 20];
    Random r = new Random(3);
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(clip), sha)) {
      for (long n = 0; n < size; n += block.length) {
        r.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - n));
      }
    }
    String hex = HexFormat.of().formatHex(sha.digest());
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).start();
        FakeCamera camera = new FakeCamera(root.resolve("camera"), TestMedia.CAMERA_TOKEN);
        MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      UploaderProcess uploader = new UploaderProcess(Map.of(
          "MECAM_MQTT_URL", broker.url(), "MECAM_MQTT_USERNAME", "",
          "MECAM_DATA_DIR", root.resolve("data").toString(),
          "MECAM_UPLOADER_RECIPIENTS_FILE", root.resolve("recipients").toString(),
          "MECAM_UPLOADER_CAMERAS_FILE", TestMedia.registry(tokens, camera.base(), TestMedia.CAMERA_TOKEN, cameraIds).toString(),
          "MECAM_UPLOADER_LOCAL_FOLDER", root.resolve("archive").toString(),
          "MECAM_UPLOADER_FETCH_TIMEOUT", "120s"), List.of("-Xmx128m"), root.resolve("uploader.log"));
      uploader.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(uploader::ready);
        Instant t = Instant.now();
        MediaReady m = new MediaReady(Payload.SCHEMA, Ids.newId(), "big", t, Ids.newId(), MediaKind.CLIP,
            clip.toString(), camera.url("big.mp4"), hex, size, "video/mp4", t, t);
        long t0 = System.nanoTime();
        client.publish(Topics.cameraMedia("big"), PayloadCodec.encode(m), 1, false);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          String q = uploader.get("/api/queue?state=uploaded");
          return q != null && q.contains(m.id());
        });
        System.out.printf("1 GiB clip uploaded with -Xmx128m in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(uploader.alive()).isTrue();
      } finally {
        uploader.close();
      }
      Path archived;
      try (Stream<Path> s = Files.walk(root.resolve("archive"))) {
        archived = s.filter(p -> p.toString().endsWith(".mecam")).findFirst().orElseThrow();
      }
      MessageDigest check = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(archived);
          OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), check)) {
        MediaDecryptor.decrypt(in, out, owner);
      }
      assertThat(HexFormat.of().formatHex(check.digest())).isEqualTo(hex);
      assertThat(Files.readString(root.resolve("uploader.log"))).doesNotContain("OutOfMemoryError");
    } finally {
      UploaderTestResource.deleteTree(root);
    }
  }
}
