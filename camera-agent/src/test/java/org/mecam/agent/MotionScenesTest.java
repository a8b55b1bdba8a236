package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.capture.SceneGenerator;
import org.mecam.agent.media.MediaStore;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;

/** Motion detection and recording on generated scenes, run through the real camera loop without a broker. */
class MotionScenesTest {

  @TempDir
  Path dir;

  private AgentFixtures.Run run(Path scene, String... extra) throws Exception {
    String[] args = new String[extra.length + 6];
    args[0] = "--source";
    args[1] = scene.toString();
    args[2] = "--realtime=false";
    args[3] = "--pre-roll";
    args[4] = "1s";
    args[5] = "--post-roll=1s";
    System.arraycopy(extra, 0, args, 6, extra.length);
    return AgentFixtures.runCamera(AgentFixtures.config(dir.resolve(Long.toString(System.nanoTime())), args));
  }

  private static List<MotionEvent> events(AgentFixtures.Run r) throws Exception {
    List<MotionEvent> out = new java.util.ArrayList<>();
    for (String p : r.payloads("/events")) {
      out.add(PayloadCodec.decode(null, p.getBytes(), MotionEvent.class));
    }
    return out;
  }

  private static List<MediaReady> media(AgentFixtures.Run r) throws Exception {
    List<MediaReady> out = new java.util.ArrayList<>();
    for (String p : r.payloads("/media")) {
      out.add(PayloadCodec.decode(null, p.getBytes(), MediaReady.class));
    }
    return out;
  }

  @Test
  void movingObjectYieldsOneEventWithSnapshotAnnouncedBeforeClip() throws Exception {
    AgentFixtures.Run r = run(AgentFixtures.movingBox());
    List<MotionEvent> events = events(r);
    assertThat(events).extracting(MotionEvent::type).containsExactly(MotionEvent.Phase.START, MotionEvent.Phase.END);
    assertThat(events.get(0).eventId()).isEqualTo(events.get(1).eventId());
    assertThat(events.get(0).score()).isGreaterThan(0);
    assertThat(events.get(0).boxes()).isNotEmpty();
    List<MediaReady> media = media(r);
    assertThat(media).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
    assertThat(media).allSatisfy(m -> assertThat(m.eventId()).isEqualTo(events.get(0).eventId()));
    // Order in the outbox: start, snapshot, end, clip: the alert can carry the snapshot.
    assertThat(r.topics()).containsExactly("mecam/v1/cameras/cam-test/events", "mecam/v1/cameras/cam-test/media",
        "mecam/v1/cameras/cam-test/events", "mecam/v1/cameras/cam-test/media");
    for (MediaReady m : media) {
      Path file = r.media().root().resolve(m.path());
      assertThat(MediaStore.sha256(file)).isEqualTo(m.sha256());
      assertThat(java.nio.file.Files.size(file)).isEqualTo(m.size());
      assertThat(m.url()).endsWith("/media/" + m.path());
    }
    assertThat(media.get(0).contentType()).isEqualTo("image/jpeg");
    assertThat(media.get(1).contentType()).isEqualTo("video/mp4");
  }

  @Test
  void mog2BackgroundModelFindsTheMovingObjectAndIgnoresLightAndNoise() throws Exception {
    assertThat(run(AgentFixtures.movingBox(), "--background", "mog2").payloads("/events")).hasSize(2);
    Path light = AgentFixtures.scene("light-change",
        SceneGenerator.Spec.movingBox(640, 360, 15, 8, 2, 4).withKind(SceneGenerator.Kind.LIGHT_CHANGE));
    assertThat(run(light, "--background", "mog2").payloads("/events")).isEmpty();
  }

  @Test
  void globalLightChangeYieldsNoEvent() throws Exception {
    Path scene = AgentFixtures.scene("light-change",
        SceneGenerator.Spec.movingBox(640, 360, 15, 8, 2, 4).withKind(SceneGenerator.Kind.LIGHT_CHANGE));
    AgentFixtures.Run r = run(scene);
    assertThat(r.payloads("/events")).isEmpty();
    assertThat(r.metrics().value("mecam_agent_light_changes_total")).isGreaterThan(0);
  }

  @Test
  void sensorNoiseYieldsNoEvent() throws Exception {
    Path scene = AgentFixtures.scene("noise",
        SceneGenerator.Spec.movingBox(640, 360, 15, 6, 2, 4).withKind(SceneGenerator.Kind.NOISE));
    AgentFixtures.Run r = run(scene);
    assertThat(r.payloads("/events")).isEmpty();
    assertThat(r.metrics().value("mecam_agent_frames_analysed_total")).isGreaterThan(20);
  }

  @Test
  void motionOnlyInsideAMaskYieldsNoEventButDoesWithoutTheMask() throws Exception {
    Path scene = AgentFixtures.scene("masked-corner",
        SceneGenerator.Spec.movingBox(640, 360, 15, 8, 2, 5).withRegion(0, 0, 0.5, 0.5));
    AgentFixtures.Run masked = run(scene, "--mask", "0,0 0.56,0 0.56,0.56 0,0.56");
    assertThat(masked.payloads("/events")).isEmpty();
    AgentFixtures.Run zonedElsewhere = run(scene, "--zone", "0.6,0.6 1,0.6 1,1 0.6,1");
    assertThat(zonedElsewhere.payloads("/events")).isEmpty();
    AgentFixtures.Run open = run(scene);
    assertThat(open.payloads("/events")).isNotEmpty();
  }

  @Test
  void preRollHoldsFramesFromBeforeTheTriggerAndClipHasTheAnnouncedDuration() throws Exception {
    AgentFixtures.Run r = run(AgentFixtures.movingBox());
    MotionEvent start = events(r).get(0);
    MediaReady clip = media(r).get(1);
    // The clip begins at least the pre-roll (to the keyframe) before motion started.
    assertThat(clip.start()).isBeforeOrEqualTo(start.startedAt().minusMillis(900));
    Path file = r.media().root().resolve(clip.path());
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.start();
      Frame first = g.grabImage();
      // Before the trigger the box still stands at its starting place (left edge, middle): red there.
      ByteBuffer px = (ByteBuffer) first.image[0];
      int o = 180 * first.imageStride + 50 * 3;
      assertThat(px.get(o + 2) & 0xff).as("red of the box in the first clip frame").isGreaterThan(180);
      assertThat(px.get(o) & 0xff).as("blue").isLessThan(90);
      int frames = 1;
      while (g.grabImage() != null) {
        frames++;
      }
      double decodedSeconds = frames / g.getFrameRate();
      double announced = Duration.between(clip.start(), clip.end()).toMillis() / 1000.0;
      assertThat(decodedSeconds).isCloseTo(announced, org.assertj.core.data.Offset.offset(0.15));
      // 1 s pre-roll + 3 s of motion + 1 s post-roll at the least.
      assertThat(decodedSeconds).isBetween(4.8, 11.0);
      assertThat(g.getVideoCodecName()).isEqualTo("h264");
    }
  }

  @Test
  void mjpegSourceIsReencodedToH264ThatDecodes() throws Exception {
    Path scene = AgentFixtures.scene("moving-box-mjpeg-avi", null);
    AgentFixtures.Run r = run(scene);
    List<MediaReady> media = media(r);
    assertThat(media).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
    Path file = r.media().root().resolve(media.get(1).path());
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.start();
      assertThat(g.getVideoCodecName()).isEqualTo("h264");
      assertThat(g.getImageWidth()).isEqualTo(640);
      int frames = 0;
      while (g.grabImage() != null) {
        frames++;
      }
      double announced = Duration.between(media.get(1).start(), media.get(1).end()).toMillis() / 1000.0;
      assertThat(frames / g.getFrameRate()).isCloseTo(announced, org.assertj.core.data.Offset.offset(0.2));
      assertThat(announced).isGreaterThan(4.5);
    }
  }
}
