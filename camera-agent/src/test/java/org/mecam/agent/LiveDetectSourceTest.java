package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.capture.SceneGenerator;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;

/**
 * A live detect source (an HTTP camera delivering its substream in real time) next to a main stream played
 * at its own pace: the detect stream's results are placed on the main stream's timeline by arrival time, so
 * the event, its snapshot and its clip come from the main stream at the right moment.
 */
class LiveDetectSourceTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(90)
  void liveSubstreamDrivesRecordingOfThePacedMainStream() throws Exception {
    byte[] sub = Files.readAllBytes(AgentFixtures.scene("moving-box-320",
        SceneGenerator.Spec.movingBox(320, 180, 15, 12, 2, 5)));
    HttpServer camera = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    camera.createContext("/sub.mp4", ex -> {
      ex.getResponseHeaders().set("Content-Type", "video/mp4");
      ex.sendResponseHeaders(200, sub.length);
      // Trickle the 12 s file out over 12 s, as a camera sends its stream.
      try (OutputStream out = ex.getResponseBody()) {
        int chunk = sub.length / 120;
        for (int off = 0; off < sub.length; off += chunk) {
          out.write(sub, off, Math.min(chunk, sub.length - off));
          out.flush();
          Thread.sleep(100);
        }
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      ex.close();
    });
    camera.start();
    try {
      AgentFixtures.Run r = AgentFixtures.runCamera(AgentFixtures.config(dir, "--source",
          AgentFixtures.movingBox().toString(), "--realtime=true", "--pre-roll", "1s", "--post-roll", "1s",
          "--detect-source", "http://127.0.0.1:" + camera.getAddress().getPort() + "/sub.mp4"));
      List<MotionEvent> events = r.payloads("/events").stream()
          .map(p -> decode(p, MotionEvent.class)).filter(e -> e.type() != MotionEvent.Phase.UPDATE).toList();
      assertThat(events).extracting(MotionEvent::type).containsExactly(MotionEvent.Phase.START, MotionEvent.Phase.END);
      List<MediaReady> media = r.payloads("/media").stream().map(p -> decode(p, MediaReady.class)).toList();
      assertThat(media).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
      // The box moves from 2 s to 5 s of both streams: the event starts within a second of that on the
      // main stream's timeline (the clip starts about the pre-roll before it, from the start of the file).
      java.time.Duration startToClip = java.time.Duration.between(media.get(1).start(), events.get(0).startedAt());
      assertThat(startToClip.toMillis()).as("event start after clip start").isBetween(900L, 3_000L);
      assertThat(r.metrics().value("mecam_agent_detect_source_frames_decoded_total")).isGreaterThan(150);
      assertThat(r.metrics().value("mecam_agent_frames_decoded_total")).isLessThan(90);
    } finally {
      camera.stop(0);
    }
  }

  private static <T extends org.mecam.events.Payload> T decode(String json, Class<T> type) {
    try {
      return PayloadCodec.decode(null, json.getBytes(), type);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
