package org.mecam.mediapull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.events.MediaKind;

class MediaPullerTest {
  static final String TOKEN = "cam-token-0123456789";
  static final String ID = "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3";
  static final String PATH = "2026-12-03/" + ID + ".mp4";

  ScriptedCamera camera;
  MediaPuller puller;

  @AfterEach
  void close() throws IOException {
    if (puller != null) {
      puller.close();
    }
    if (camera != null) {
      camera.close();
    }
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  MediaPuller puller(PullLimits limits, Optional<Path> shared) {
    CameraEndpoint e = new CameraEndpoint("front-door", URI.create(camera.base()), TOKEN);
    puller = new MediaPuller(id -> id.equals("front-door") ? Optional.of(e) : Optional.empty(), limits, shared);
    return puller;
  }

  static PullLimits limits(Duration deadline, long minRate, Duration window) {
    return new PullLimits(Duration.ofSeconds(2), deadline, minRate, window, 1L << 30, 10L << 20, 3);
  }

  static MediaRequest clip(byte[] content) throws Exception {
    return new MediaRequest("front-door", ID, MediaKind.CLIP, PATH, content.length, sha(content), "video/mp4");
  }

  /** Serves {@code content} whole, honouring a Range of the form bytes=N-. */
  static ScriptedCamera.Script serving(byte[] content) {
    return (req, out) -> {
      String range = req.headers().get("range");
      int from = range == null ? 0 : Integer.parseInt(range.substring(6, range.length() - 1));
      if (from == 0) {
        ScriptedCamera.head(out, 200, "video/mp4", content.length);
      } else {
        ScriptedCamera.head(out, 206, "video/mp4", content.length - from,
            "Content-Range: bytes " + from + "-" + (content.length - 1) + "/" + content.length);
      }
      out.write(content, from, content.length - from);
    };
  }

  @Test
  void pullsFromTheRegisteredAddressWithTheTokenAndVerifies() throws Exception {
    byte[] content = bytes(300_000);
    camera = new ScriptedCamera(serving(content));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PullResult r = puller(PullLimits.defaults(), Optional.empty()).pull(clip(content), sink);
    assertThat(sink.toByteArray()).isEqualTo(content);
    assertThat(r.how()).isEqualTo("http");
    assertThat(camera.log()).singleElement().satisfies(q -> {
      assertThat(q.line()).isEqualTo("GET /media/" + PATH + " HTTP/1.1");
      assertThat(q.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    });
  }

  @Test
  void bodyAtOneBytePerSecondIsCutAtTheDeadline() throws Exception {
    byte[] content = bytes(1000);
    camera = new ScriptedCamera((req, out) -> {
      ScriptedCamera.head(out, 200, "video/mp4", content.length);
      for (byte b : content) {
        out.write(b);
        out.flush();
        Thread.sleep(1000);
      }
    });
    // Rate check off (0 B/s) and a long idle window: only the total deadline can end this pull.
    MediaPuller p = puller(limits(Duration.ofSeconds(3), 0, Duration.ofSeconds(30)), Optional.empty());
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> p.pull(clip(content), OutputStream.nullOutputStream()))
        .isInstanceOf(PullFailedException.class).hasMessageContaining("deadline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void headersDribbledOneBytePerSecondAreCutAtTheDeadline() throws Exception {
    camera = new ScriptedCamera((req, out) -> {
      for (byte b : "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n".getBytes()) {
        out.write(b);
        out.flush();
        Thread.sleep(1000);
      }
    });
    MediaPuller p = puller(limits(Duration.ofSeconds(2), 0, Duration.ofSeconds(30)), Optional.empty());
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> p.pull(clip(bytes(1000)), OutputStream.nullOutputStream()))
        .isInstanceOf(PullFailedException.class).hasMessageContaining("deadline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void bodyBelowTheMinimumRateIsCutAfterOneWindow() throws Exception {
    byte[] content = bytes(100_000);
    camera = new ScriptedCamera((req, out) -> {
      ScriptedCamera.head(out, 200, "video/mp4", content.length);
      for (int i = 0; i < content.length; i += 100) {
        out.write(content, i, 100);
        out.flush();
        Thread.sleep(100);
      }
    });
    MediaPuller p = puller(limits(Duration.ofMinutes(1), 10_000, Duration.ofSeconds(1)), Optional.empty());
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> p.pull(clip(content), OutputStream.nullOutputStream()))
        .isInstanceOf(PullFailedException.class).hasMessageContaining("too slow");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void announced100GbIsRefusedWithoutContactingTheCamera() throws Exception {
    camera = new ScriptedCamera(serving(bytes(10)));
    MediaRequest huge = new MediaRequest("front-door", ID, MediaKind.CLIP, PATH, 100L << 30,
        "00".repeat(32), "video/mp4");
    assertThatThrownBy(() -> puller(PullLimits.defaults(), Optional.empty()).pull(huge, OutputStream.nullOutputStream()))
        .isInstanceOf(PullRefusedException.class).hasMessageContaining("announced 107374182400 bytes");
    assertThat(camera.log()).isEmpty();
  }

  @Test
  void moreBytesThanAnnouncedAreRefusedBeforeTheyReachTheSink() throws Exception {
    byte[] content = bytes(5000);
    camera = new ScriptedCamera((req, out) -> {
      ScriptedCamera.head(out, 200, "video/mp4", -1);
      out.write(content);
      out.write(content);
    });
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThatThrownBy(() -> puller(PullLimits.defaults(), Optional.empty()).pull(clip(content), sink))
        .isInstanceOf(PullRefusedException.class).hasMessageContaining("larger than the announced");
    assertThat(sink.size()).isLessThanOrEqualTo(content.length);
  }

  @Test
  void htmlAndScriptTypesAreRefused() throws Exception {
    byte[] content = bytes(100);
    camera = new ScriptedCamera(serving(content));
    MediaPuller p = puller(PullLimits.defaults(), Optional.empty());
    for (String type : new String[] {"text/html", "text/javascript", "video/mp4x", "image/jpeg"}) {
      MediaRequest r = new MediaRequest("front-door", ID, MediaKind.CLIP, PATH, 100, sha(content), type);
      assertThatThrownBy(() -> p.pull(r, OutputStream.nullOutputStream()))
          .isInstanceOf(PullRefusedException.class).hasMessageContaining("not allowed");
    }
    assertThat(camera.log()).isEmpty();
    // Announced right, served as HTML: refused too.
    camera.script((req, out) -> {
      ScriptedCamera.head(out, 200, "text/html", content.length);
      out.write(content);
    });
    assertThatThrownBy(() -> p.pull(clip(content), OutputStream.nullOutputStream()))
        .isInstanceOf(PullRefusedException.class).hasMessageContaining("served as 'text/html'");
  }

  @Test
  void pathsNamingAnotherHostOrPlaceAreRefusedAndTheTokenStaysHome() throws Exception {
    byte[] content = bytes(100);
    camera = new ScriptedCamera(serving(content));
    AtomicInteger contacted = new AtomicInteger();
    StringBuilder seen = new StringBuilder();
    try (ServerSocket elsewhere = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        while (true) {
          try (Socket s = elsewhere.accept()) {
            contacted.incrementAndGet();
            s.setSoTimeout(500);
            seen.append(new String(s.getInputStream().readNBytes(2000)));
          } catch (SocketTimeoutException e) {
            // read what came
          } catch (IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
      String other = "127.0.0.1:" + elsewhere.getLocalPort();
      MediaPuller p = puller(PullLimits.defaults(), Optional.empty());
      for (String path : new String[] {"http://" + other + "/media/" + PATH, "//" + other + "/" + PATH,
          "@" + other + "/" + PATH, "../" + PATH, "2026-12-03/../../x/" + ID + ".mp4",
          "2026-12-03/" + ID + ".mp4?u=http://" + other, "2026-12-03/other-id.mp4", "2026-12-03/" + ID + ".jpg"}) {
        MediaRequest r = new MediaRequest("front-door", ID, MediaKind.CLIP, path, 100, sha(content), "video/mp4");
        assertThatThrownBy(() -> p.pull(r, OutputStream.nullOutputStream()))
            .as(path).isInstanceOf(PullRefusedException.class);
      }
      MediaRequest unknown = new MediaRequest("cam-evil", ID, MediaKind.CLIP, PATH, 100, sha(content), "video/mp4");
      assertThatThrownBy(() -> p.pull(unknown, OutputStream.nullOutputStream()))
          .isInstanceOf(PullRefusedException.class).hasMessageContaining("not registered");
      // A redirect to the other host is not followed.
      camera.script((req, out) -> ScriptedCamera.head(out, 302, null, 0, "Location: http://" + other + "/x"));
      assertThatThrownBy(() -> p.pull(clip(content), OutputStream.nullOutputStream()))
          .isInstanceOf(PullRefusedException.class).hasMessageContaining("redirect");
    }
    assertThat(contacted.get()).isZero();
    assertThat(seen.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aPullCutAt60PercentResumesWithRangeAndIsByteEqual() throws Exception {
    byte[] content = bytes(1_000_000);
    int cut = 600_000;
    ScriptedCamera.Script whole = serving(content);
    AtomicInteger calls = new AtomicInteger();
    camera = new ScriptedCamera((req, out) -> {
      if (calls.getAndIncrement() == 0) {
        ScriptedCamera.head(out, 200, "video/mp4", content.length);
        out.write(content, 0, cut);
        out.flush();
        return; // connection closed at 60 %
      }
      whole.answer(req, out);
    });
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PullResult r = puller(PullLimits.defaults(), Optional.empty()).pull(clip(content), sink);
    assertThat(sink.toByteArray()).isEqualTo(content);
    assertThat(r.resumes()).isEqualTo(1);
    assertThat(camera.log()).hasSize(2);
    assertThat(camera.log().get(1).headers()).containsEntry("range", "bytes=" + cut + "-");
  }

  @Test
  void aMismatchingShaIsRefused() throws Exception {
    byte[] content = bytes(1000);
    camera = new ScriptedCamera(serving(content));
    MediaRequest r = new MediaRequest("front-door", ID, MediaKind.CLIP, PATH, 1000, "ab".repeat(32), "video/mp4");
    assertThatThrownBy(() -> puller(PullLimits.defaults(), Optional.empty()).pull(r, OutputStream.nullOutputStream()))
        .isInstanceOf(PullRefusedException.class).hasMessageContaining("SHA-256 mismatch");
  }

  @Test
  void aSharedRootIsReadPerCameraWithoutHttp(@TempDir Path root) throws Exception {
    byte[] content = bytes(5000);
    camera = new ScriptedCamera(serving(bytes(1)));
    Path f = root.resolve("front-door").resolve(PATH);
    Files.createDirectories(f.getParent());
    Files.write(f, content);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PullResult r = puller(PullLimits.defaults(), Optional.of(root)).pull(clip(content), sink);
    assertThat(r.how()).isEqualTo("shared");
    assertThat(sink.toByteArray()).isEqualTo(content);
    assertThat(camera.log()).isEmpty();
  }

  @Test
  void openPassesRangeThroughAndRefusesForeignTypes() throws Exception {
    byte[] content = bytes(1000);
    camera = new ScriptedCamera(serving(content));
    MediaPuller p = puller(PullLimits.defaults(), Optional.empty());
    MediaPuller.Opened o = p.open(clip(content), "bytes=400-");
    try (var body = o.body()) {
      assertThat(o.status()).isEqualTo(206);
      assertThat(body.readAllBytes()).hasSize(600);
    }
    assertThat(Map.copyOf(camera.log().get(0).headers())).containsEntry("range", "bytes=400-");
  }
}
