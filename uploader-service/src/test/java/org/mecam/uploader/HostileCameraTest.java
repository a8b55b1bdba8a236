package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.events.Alert;
import org.mecam.events.DeadLetter;
import org.mecam.events.Ids;
import org.mecam.events.MediaFailed;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/**
 * What a camera that turned hostile can do to the uploader (issue 12): it cannot make the uploader
 * fetch from anywhere but its registered address, cannot stall other cameras' footage with slow
 * bodies, cannot get huge or non-media announcements in, and its refusals leave a dead letter and a
 * per-camera alert while the camera itself hears only "refused". Also: no plaintext media on the
 * server disk at any moment of a burst (issue 13).
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = UploaderTestResource.class, restrictToAnnotatedClass = true)
class HostileCameraTest {
  @InjectBroker
  MqttBroker broker;

  @jakarta.inject.Inject
  org.mecam.uploader.store.UploaderStore store;

  MqttTestClient client;
  Path cameraDir = UploaderTestResource.ROOT.resolve("camera");

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

  /** A loopback listener that answers every request with headers, then one byte per second. */
  static final class Dribbler implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicBoolean open = new AtomicBoolean(true);

    Dribbler() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        while (open.get()) {
          try {
            Socket s = server.accept();
            connections.incrementAndGet();
            Thread c = new Thread(() -> serve(s));
            c.setDaemon(true);
            c.start();
          } catch (IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    void serve(Socket s) {
      try (s) {
        s.setSoTimeout(1000);
        byte[] head = new byte[4096];
        int n = s.getInputStream().read(head);
        received.add(new String(head, 0, Math.max(0, n), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 1000000\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        while (open.get()) {
          out.write(0);
          out.flush();
          Thread.sleep(1000);
        }
      } catch (IOException | InterruptedException e) {
        // the puller hung up
      }
    }

    String base() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      open.set(false);
      server.close();
    }
  }

  static MediaReady announce(String camera, MediaKind kind, long size, String type, String url) {
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    String id = Ids.newId();
    String path = "2026-11-26/" + id + (kind == MediaKind.CLIP ? ".mp4" : ".jpg");
    return new MediaReady(Payload.SCHEMA, id, camera, t, Ids.newId(), kind, path, url, "ab".repeat(32), size,
        type, t, t);
  }

  @Test
  void twoSlowCamerasDoNotDelayAThirdCamerasClip() throws Exception {
    try (Dribbler slow = new Dribbler()) {
      TestMedia.registry(UploaderTestResource.ROOT.resolve("cameras.json"), slow.base(), UploaderTestResource.TOKEN,
          "slow-a", "slow-b");
      for (int i = 0; i < 4; i++) {
        for (String cam : new String[] {"slow-a", "slow-b"}) {
          client.publish(Topics.cameraMedia(cam), PayloadCodec.encode(announce(cam, MediaKind.CLIP, 1_000_000,
              "video/mp4", slow.base() + "/media/x.mp4")), 1, false);
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> slow.connections.get() >= 2);
      byte[] bytes = TestMedia.bytes(2 * 1024 * 1024, 21);
      MediaReady good = TestMedia.write(cameraDir, "good-clip.mp4", bytes, "front-door", MediaKind.CLIP,
          LocalUploadTest.cameraUrl("good-clip.mp4"));
      long t0 = System.nanoTime();
      client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(good), 1, false);
      await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
          assertThat(LocalUploadTest.state(good.id())).isEqualTo("uploaded"));
      System.out.printf("front-door clip stored %d ms after its announcement, beside 2 slow cameras%n",
          (System.nanoTime() - t0) / 1_000_000);
    }
  }

  @Test
  void aPullCutAt60PercentResumesWithRangeAndTheStoredClipDecryptsByteEqual() throws Exception {
    byte[] clip = TestMedia.bytes(3 * 1024 * 1024, 23);
    int cut = clip.length * 6 / 10;
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        while (true) {
          try (Socket s = server.accept()) {
            java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String range = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
              if (line.toLowerCase().startsWith("range:")) {
                range = line.substring(6).strip();
              }
            }
            log.add(range == null ? "GET" : "GET Range: " + range);
            OutputStream out = s.getOutputStream();
            if (requests.getAndIncrement() == 0) {
              out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: " + clip.length
                  + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
              out.write(clip, 0, cut);
              out.flush(); // and the connection drops at 60 %
            } else {
              int from = Integer.parseInt(range.substring(6, range.length() - 1));
              out.write(("HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\nContent-Length: "
                  + (clip.length - from) + "\r\nContent-Range: bytes " + from + "-" + (clip.length - 1) + "/"
                  + clip.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
              out.write(clip, from, clip.length - from);
              out.flush();
            }
          } catch (IOException | RuntimeException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
      TestMedia.registry(UploaderTestResource.ROOT.resolve("cameras.json"),
          "http://127.0.0.1:" + server.getLocalPort(), UploaderTestResource.TOKEN, "flaky");
      Path dir = UploaderTestResource.ROOT.resolve("flaky-camera");
      MediaReady m = TestMedia.write(dir, "cut.mp4", clip, "flaky", MediaKind.CLIP, "http://ignored/");
      client.publish(Topics.cameraMedia("flaky"), PayloadCodec.encode(m), 1, false);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(LocalUploadTest.state(m.id())).isEqualTo("uploaded"));
      assertThat(log).containsExactly("GET", "GET Range: bytes=" + cut + "-");
      String remote = store.find(m.id()).orElseThrow().remoteId();
      byte[] stored = LocalUploadTest.decrypt(UploaderTestResource.ROOT.resolve("archive").resolve(remote));
      assertThat(stored).isEqualTo(clip);
    }
  }

  @Test
  void aUrlNamingAnotherHostIsNeverContactedAndTheTokenStaysHome() throws Exception {
    try (Dribbler elsewhere = new Dribbler()) {
      byte[] bytes = TestMedia.bytes(50_000, 22);
      MediaReady m = TestMedia.write(cameraDir, "redirected.jpg", bytes, "front-door", MediaKind.SNAPSHOT,
          elsewhere.base() + "/steal");
      client.publish(Topics.cameraMedia("front-door"), PayloadCodec.encode(m), 1, false);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(LocalUploadTest.state(m.id())).isEqualTo("uploaded"));
      assertThat(elsewhere.connections.get()).isZero();
      assertThat(String.join("", elsewhere.received)).doesNotContain(UploaderTestResource.TOKEN);
    }
  }

  @Test
  void hugeHtmlScriptAndForeignAnnouncementsAreRefusedWithADeadLetterAndAPerCameraAlert() throws Exception {
    var dead = client.subscribe(Topics.deadLetter("uploader"));
    var failed = client.subscribe(Topics.ALL_MEDIA_FAILED);
    var alerts = client.subscribe(Topics.ALERTS);
    String base = LocalUploadTest.cameraUrl("x");
    List<MediaReady> bad = new ArrayList<>(List.of(
        announce("front-door", MediaKind.CLIP, 100L << 30, "video/mp4", base),
        announce("front-door", MediaKind.CLIP, 1000, "text/html", base),
        announce("front-door", MediaKind.SNAPSHOT, 1000, "text/javascript", base),
        announce("cam-unknown", MediaKind.SNAPSHOT, 1000, "image/jpeg", base)));
    for (MediaReady m : bad) {
      client.publish(Topics.cameraMedia(m.camera()), PayloadCodec.encode(m), 1, false);
    }
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      List<DeadLetter> letters = dead.stream().map(r -> LocalUploadTest.decode(r, DeadLetter.class)).toList();
      for (MediaReady m : bad) {
        assertThat(letters).anySatisfy(d -> assertThat(d.reason()).contains(m.id()));
      }
    });
    List<DeadLetter> letters = dead.stream().map(r -> LocalUploadTest.decode(r, DeadLetter.class)).toList();
    assertThat(letters).anySatisfy(d -> assertThat(d.reason()).contains("announced 107374182400 bytes"));
    assertThat(letters).anySatisfy(d -> assertThat(d.reason()).contains("'text/html' is not allowed"));
    assertThat(letters).anySatisfy(d -> assertThat(d.reason()).contains("'text/javascript' is not allowed"));
    assertThat(letters).anySatisfy(d -> assertThat(d.reason()).contains("not registered"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<MediaFailed> f = failed.stream().map(r -> LocalUploadTest.decode(r, MediaFailed.class))
          .filter(x -> bad.stream().anyMatch(b -> b.id().equals(x.mediaId()))).toList();
      assertThat(f).hasSize(bad.size()).allSatisfy(x -> assertThat(x.reason()).isEqualTo("refused"));
      assertThat(alerts.stream().map(r -> LocalUploadTest.decode(r, Alert.class)))
          .anySatisfy(a -> assertThat(a.camera()).isEqualTo("front-door"));
    });
    for (MediaReady m : bad) {
      assertThat(LocalUploadTest.state(m.id())).as("never queued").isNull();
    }
  }

  @Test
  void noPlaintextMediaOnTheServerDiskDuringOrAfterABurst() throws Exception {
    List<MediaReady> burst = new ArrayList<>();
    List<byte[]> samples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] bytes = TestMedia.bytes(2 * 1024 * 1024 + i, 300 + i);
      samples.add(java.util.Arrays.copyOfRange(bytes, 1 << 20, (1 << 20) + 64));
      samples.add(java.util.Arrays.copyOfRange(bytes, 100, 164));
      burst.add(TestMedia.write(cameraDir, "burst" + i + ".mp4", bytes, i % 2 == 0 ? "front-door" : "garden",
          MediaKind.CLIP, LocalUploadTest.cameraUrl("burst" + i + ".mp4")));
    }
    for (MediaReady m : burst) {
      client.publish(Topics.cameraMedia(m.camera()), PayloadCodec.encode(m), 1, false);
    }
    Path data = UploaderTestResource.ROOT.resolve("data");
    Path archive = UploaderTestResource.ROOT.resolve("archive");
    int scans = 0;
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      boolean done = burst.stream().allMatch(m -> "uploaded".equals(LocalUploadTest.state(m.id())));
      scanForPlaintext(data, samples);
      scanForPlaintext(archive, samples);
      scans++;
      if (done) {
        break;
      }
      assertThat(System.nanoTime()).as("burst stored in time").isLessThan(end);
    }
    System.out.printf("plaintext scan: %d scans of the data dir and archive during the burst%n", scans);
    assertThat(scans).isGreaterThan(1);
  }

  static void scanForPlaintext(Path dir, List<byte[]> samples) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    // Every 8-byte prefix of a sample, looked up at each offset of each file: one pass per file.
    java.util.Set<Long> prefixes = new java.util.HashSet<>();
    for (byte[] sample : samples) {
      prefixes.add(java.nio.ByteBuffer.wrap(sample).getLong());
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    } catch (java.io.UncheckedIOException e) {
      return; // a file vanished while walking (moved into the archive); the next scan sees the rest
    }
    for (Path f : files) {
      byte[] content;
      try {
        content = Files.readAllBytes(f);
      } catch (java.nio.file.NoSuchFileException e) {
        continue;
      }
      java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(content);
      for (int i = 0; i + 8 <= content.length; i++) {
        if (prefixes.contains(bb.getLong(i))) {
          for (byte[] sample : samples) {
            if (i + sample.length <= content.length
                && java.util.Arrays.equals(content, i, i + sample.length, sample, 0, sample.length)) {
              throw new AssertionError("plaintext media in " + f + " at offset " + i);
            }
          }
        }
      }
    }
  }
}
