package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.capture.SceneGenerator;
import org.mecam.agent.capture.StreamInput;
import org.mecam.agent.config.SourceSpec;
import org.mecam.events.Alert;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;

/**
 * {@code --source exec:...} with a stand-in for rpicam-vid: {@code ffmpeg -re ... -f h264 -} writes a raw
 * H.264 elementary stream of the moving-box scene to its standard output in real time, as the Pi camera
 * tool does. Motion gives one event and a clip with pre-roll that is a stream copy (the source's codec,
 * resolution and packets); when the child exits the agent raises {@code stream-lost}, starts it again and
 * clears the alert once frames flow.
 */
class ExecSourceTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void childProcessStreamGivesOneEventAStreamCopiedClipWithPreRollAndIsRestartedAfterItExits() throws Exception {
    Path ffmpeg = findFfmpeg();
    if (System.getenv("CI") != null) {
      assertThat(ffmpeg).as("ffmpeg (Debian package ffmpeg) is the stand-in camera process; CI must install it")
          .isNotNull();
    }
    assumeThat(ffmpeg).as("ffmpeg (Debian package ffmpeg) is needed as the stand-in camera process").isNotNull();
    // 7 s at 640x360, 15 fps, the box moves from 2 s to 4 s.
    Path scene = AgentFixtures.scene("exec-box", SceneGenerator.Spec.movingBox(640, 360, 15, 7, 2, 4));
    String command = "exec:" + ffmpeg + " -hide_banner -loglevel error -re -i " + scene
        + " -c:v copy -bsf:v h264_mp4toannexb -f h264 -";
    AgentFixtures.Harness h = new AgentFixtures.Harness(AgentFixtures.config(dir, "--source", command,
        "--exec-framerate", "15", "--pre-roll", "1s", "--post-roll", "1s"));
    try {
      h.loop.start();
      // First run of the child: one event, its snapshot and clip.
      await().atMost(Duration.ofSeconds(40)).until(() -> clips(h).size() >= 1);
      // The child exits at the end of the scene: stream-lost, restart, cleared when frames flow again.
      await().atMost(Duration.ofSeconds(30)).until(() -> alerts(h).contains("stream-lost:false"));
      assertThat(alerts(h)).startsWith("stream-lost:true", "stream-lost:false");
      String lost = h.payloads("/alerts").get(0);
      assertThat(lost).contains("exited with code 0");

      List<MotionEvent> starts = new ArrayList<>();
      for (String p : h.payloads("/events")) {
        MotionEvent e = PayloadCodec.decode(null, p.getBytes(), MotionEvent.class);
        if (e.type() == MotionEvent.Phase.START) {
          starts.add(e);
        }
      }
      MediaReady clip = clips(h).get(0);
      assertThat(starts.get(0).eventId()).isEqualTo(clip.eventId());
      assertThat(starts.stream().filter(e -> e.startedAt().isBefore(clip.end()))).as("one event in the first run")
          .hasSize(1);
      // Pre-roll: the clip starts about 1 s before the event.
      Duration preRoll = Duration.between(clip.start(), starts.get(0).startedAt());
      assertThat(preRoll).isBetween(Duration.ofMillis(600), Duration.ofMillis(1600));

      // Stream copy: same codec and resolution, and every clip packet is byte-identical to a source packet.
      Path clipFile = h.media.root().resolve(clip.path());
      Map<String, Integer> source = packets(scene);
      Map<String, Integer> copied = packets(clipFile);
      try (StreamInput in = StreamInput.open(SourceSpec.Kind.FILE, clipFile.toString(), "clip")) {
        assertThat(in.codecId()).isEqualTo(avcodec.AV_CODEC_ID_H264);
        assertThat(in.width()).isEqualTo(640);
        assertThat(in.height()).isEqualTo(360);
      }
      // (Key frames differ: the raw stream carries SPS/PPS in front of them.)
      int total = copied.values().stream().mapToInt(Integer::intValue).sum();
      int same = copied.entrySet().stream().filter(e -> source.containsKey(e.getKey()))
          .mapToInt(Map.Entry::getValue).sum();
      assertThat(total).isGreaterThan(15);
      assertThat(same).as("packets copied byte for byte").isGreaterThanOrEqualTo(total * 8 / 10);
    } finally {
      h.loop.stop();
    }
  }

  private static List<MediaReady> clips(AgentFixtures.Harness h) throws Exception {
    List<MediaReady> out = new ArrayList<>();
    for (String p : h.payloads("/media")) {
      MediaReady m = PayloadCodec.decode(null, p.getBytes(), MediaReady.class);
      if (m.kind() == MediaKind.CLIP) {
        out.add(m);
      }
    }
    return out;
  }

  private static List<String> alerts(AgentFixtures.Harness h) throws Exception {
    List<String> out = new ArrayList<>();
    for (String p : h.payloads("/alerts")) {
      Alert a = PayloadCodec.decode(null, p.getBytes(), Alert.class);
      out.add(PayloadCodec.mapper().convertValue(a.kind(), String.class) + ":" + a.active());
    }
    return out;
  }

  /** Each video packet's bytes (as a hex digest) → how often it occurs. */
  private static Map<String, Integer> packets(Path file) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    try (StreamInput in = StreamInput.open(SourceSpec.Kind.FILE, file.toString(), file.getFileName().toString())) {
      AVPacket pkt = avcodec.av_packet_alloc();
      try {
        while (in.read(pkt)) {
          byte[] b = new byte[pkt.size()];
          pkt.data().get(b);
          out.merge(java.util.HexFormat.of().formatHex(md.digest(b)), 1, Integer::sum);
          avcodec.av_packet_unref(pkt);
        }
      } finally {
        avcodec.av_packet_free(pkt);
      }
    }
    return out;
  }

  static Path findFfmpeg() {
    for (String d : List.of("/usr/bin", "/usr/local/bin")) {
      Path p = Path.of(d, "ffmpeg");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
