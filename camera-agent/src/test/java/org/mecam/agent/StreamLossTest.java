package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.events.Alert;
import org.mecam.events.PayloadCodec;

/** A camera stream that is down, comes back and drops again: alerts raised once, cleared once, recording resumes. */
class StreamLossTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(60)
  void streamLossRaisesAlertsThatClearWhenTheStreamReturns() throws Exception {
    byte[] video = Files.readAllBytes(AgentFixtures.movingBox());
    AtomicBoolean up = new AtomicBoolean(false);
    HttpServer camera = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    camera.createContext("/stream.mp4", ex -> {
      if (up.get()) {
        ex.getResponseHeaders().set("Content-Type", "video/mp4");
        ex.sendResponseHeaders(200, video.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(video);
        }
      } else {
        ex.sendResponseHeaders(503, -1);
      }
      ex.close();
    });
    camera.start();
    String url = "http://127.0.0.1:" + camera.getAddress().getPort() + "/stream.mp4";
    AgentFixtures.Harness h = new AgentFixtures.Harness(AgentFixtures.config(dir, "--source", url,
        "--reconnect-alert-after", "500ms", "--pre-roll", "1s", "--post-roll", "1s"));
    try {
      h.loop.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> kinds(h).contains("camera-reconnecting:true"));
      assertThat(kinds(h)).startsWith("stream-lost:true", "camera-reconnecting:true");
      up.set(true);
      await().atMost(Duration.ofSeconds(30)).until(() -> h.payloads("/media").size() >= 2);
      up.set(false);
      await().atMost(Duration.ofSeconds(20)).until(() -> kinds(h).size() >= 5);
      assertThat(kinds(h)).containsExactly("stream-lost:true", "camera-reconnecting:true",
          "stream-lost:false", "camera-reconnecting:false", "stream-lost:true");
      assertThat(h.payloads("/events").stream().filter(p -> !p.contains("\"type\":\"update\""))).hasSize(2);
    } finally {
      h.loop.stop();
      camera.stop(0);
    }
  }

  private static List<String> kinds(AgentFixtures.Harness h) throws Exception {
    List<String> out = new ArrayList<>();
    for (String p : h.payloads("/alerts")) {
      Alert a = PayloadCodec.decode(null, p.getBytes(), Alert.class);
      out.add(PayloadCodec.mapper().convertValue(a.kind(), String.class) + ":" + a.active());
    }
    return out;
  }
}
