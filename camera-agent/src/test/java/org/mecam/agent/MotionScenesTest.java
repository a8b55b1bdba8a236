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

  /** Start and end messages (updates left out). */
  private static List<MotionEvent> startsAndEnds(AgentFixtures.Run r) throws Exception {
    return events(r).stream().filter(e -> e.type() != MotionEvent.Phase.UPDATE).toList();
  }

  @Test
  void movingObjectYieldsOneEventWithSnapshotAnnouncedBeforeClip() throws Exception {
    AgentFixtures.Run r = run(AgentFixtures.movingBox());
    List<MotionEvent> events = startsAndEnds(r);
    assertThat(events).extracting(MotionEvent::type).containsExactly(MotionEvent.Phase.START, MotionEvent.Phase.END);
    assertThat(events.get(0).eventId()).isEqualTo(events.get(1).eventId());
    assertThat(events.get(0).score()).isGreaterThan(0);
    assertThat(events.get(0).boxes()).isNotEmpty();
    List<MediaReady> media = media(r);
    assertThat(media).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
    assertThat(media).allSatisfy(m -> assertThat(m.eventId()).isEqualTo(events.get(0).eventId()));
    // Order in the outbox: start, snapshot, end, clip (updates in between): the alert can carry the snapshot.
    assertThat(r.messages().stream().filter(m -> !new String(m.payload()).contains("\"type\":\"update\""))
        .map(org.mecam.agent.mqtt.Outbox.Entry::topic).toList()).containsExactly("mecam/v1/cameras/cam-test/events", "mecam/v1/cameras/cam-test/media",
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
    assertThat(startsAndEnds(run(AgentFixtures.movingBox(), "--background", "mog2"))).hasSize(2);
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
    MotionEvent start = startsAndEnds(r).get(0);
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

  @Test
  void motionThatGoesOnSendsRateLimitedUpdatesWithScoreAndBoxes() throws Exception {
    AgentFixtures.Run r = run(AgentFixtures.movingBox());
    List<MotionEvent> events = events(r);
    List<MotionEvent> updates = events.stream().filter(e -> e.type() == MotionEvent.Phase.UPDATE).toList();
    // The box moves for 3 s; the event starts 0.5 s in: one update per second of motion at most.
    assertThat(updates).hasSizeBetween(1, 3);
    assertThat(updates).allSatisfy(u -> {
      assertThat(u.eventId()).isEqualTo(events.get(0).eventId());
      assertThat(u.score()).isGreaterThan(0);
      assertThat(u.boxes()).isNotEmpty();
      assertThat(u.endedAt()).isNull();
    });
    // Between the start and the end, and the box has moved right since the start.
    assertThat(events.get(0).type()).isEqualTo(MotionEvent.Phase.START);
    assertThat(events.get(events.size() - 1).type()).isEqualTo(MotionEvent.Phase.END);
    assertThat(updates.get(updates.size() - 1).boxes().get(0).x()).isGreaterThan(events.get(0).boxes().get(0).x());

    AgentFixtures.Run quiet = run(AgentFixtures.movingBox(), "--update-interval", "0");
    assertThat(events(quiet)).extracting(MotionEvent::type)
        .containsExactly(MotionEvent.Phase.START, MotionEvent.Phase.END);
  }

  @Test
  void snapshotIsTheStrongestFrameOfTheFirstSecondNotTheFirst() throws Exception {
    // A green box moves from 2 s; from 2.4 s to 2.6 s it is twice as large: the strongest motion.
    Path scene = AgentFixtures.scene("pulsing-box", SceneGenerator.Spec.movingBox(640, 360, 15, 8, 2, 5)
        .withKind(SceneGenerator.Kind.PULSING_BOX).withRegion(0.1, 0.25, 0.9, 0.75));
    AgentFixtures.Run r = run(scene);
    List<MediaReady> media = media(r);
    assertThat(media).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
    java.awt.image.BufferedImage jpeg = javax.imageio.ImageIO.read(r.media().root().resolve(media.get(0).path())
        .toFile());
    assertThat(jpeg.getWidth()).isEqualTo(640);
    int green = 0;
    for (int y = 0; y < jpeg.getHeight(); y++) {
      for (int x = 0; x < jpeg.getWidth(); x++) {
        int rgb = jpeg.getRGB(x, y);
        if (((rgb >> 8) & 0xff) > 190 && ((rgb >> 16) & 0xff) < 80 && (rgb & 0xff) < 80) {
          green++;
        }
      }
    }
    // The small box is 85x90 px (7,650), the large one 170x180 (30,600).
    assertThat(green).as("green pixels in the snapshot").isGreaterThan(20_000);
    // The snapshot is announced before the clip and dated inside the event's first second.
    MotionEvent start = startsAndEnds(r).get(0);
    assertThat(media.get(0).start()).isBetween(start.startedAt(), start.startedAt().plusSeconds(1));
  }

  @Test
  void motionOnTheDetectSourceIsRecordedFromTheMainStream() throws Exception {
    Path small = AgentFixtures.scene("moving-box-320", SceneGenerator.Spec.movingBox(320, 180, 15, 12, 2, 5));
    AgentFixtures.Run r = run(AgentFixtures.movingBox(), "--detect-source", small.toString());
    assertThat(startsAndEnds(r)).extracting(MotionEvent::type)
        .containsExactly(MotionEvent.Phase.START, MotionEvent.Phase.END);
    List<MediaReady> media = media(r);
    assertThat(media).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
    java.awt.image.BufferedImage snap = javax.imageio.ImageIO.read(r.media().root().resolve(media.get(0).path())
        .toFile());
    assertThat(snap.getWidth()).as("snapshot from the main stream").isEqualTo(640);
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(r.media().root().resolve(media.get(1).path()).toFile())) {
      g.start();
      assertThat(g.getImageWidth()).as("clip copied from the main stream").isEqualTo(640);
      int frames = 0;
      while (g.grabImage() != null) {
        frames++;
      }
      assertThat(frames / g.getFrameRate()).isGreaterThan(4.8);
    }
    // Every frame of the detect stream was decoded; of the main stream only the few a snapshot needed.
    assertThat(r.metrics().value("mecam_agent_detect_source_frames_decoded_total")).isEqualTo(180);
    assertThat(r.metrics().value("mecam_agent_frames_decoded_total")).isLessThan(60);
  }

  @Test
  void detectionRunsOnTheDetectSourceNotOnTheMainStream() throws Exception {
    Path still = AgentFixtures.scene("static", SceneGenerator.Spec.movingBox(640, 360, 15, 12, 2, 5)
        .withKind(SceneGenerator.Kind.STATIC));
    Path stillSmall = AgentFixtures.scene("static-320", SceneGenerator.Spec.movingBox(320, 180, 15, 12, 2, 5)
        .withKind(SceneGenerator.Kind.STATIC));
    Path movingSmall = AgentFixtures.scene("moving-box-320", SceneGenerator.Spec.movingBox(320, 180, 15, 12, 2, 5));
    assertThat(run(still, "--detect-source", movingSmall.toString()).payloads("/events")).isNotEmpty();
    assertThat(run(AgentFixtures.movingBox(), "--detect-source", stillSmall.toString()).payloads("/events"))
        .isEmpty();
  }

  @Test
  void whenTheDetectSourceDropsDetectionFallsBackToTheMainStreamAndSaysSo() throws Exception {
    // The detect file ends after 4 s; motion in the main stream comes at 6 s.
    Path shortSmall = AgentFixtures.scene("static-320-4s", SceneGenerator.Spec.movingBox(320, 180, 15, 4, 2, 3)
        .withKind(SceneGenerator.Kind.STATIC));
    Path late = AgentFixtures.scene("moving-box-late", SceneGenerator.Spec.movingBox(640, 360, 15, 12, 6, 9));
    java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
        org.mecam.agent.service.CameraLoop.class.getName());
    java.util.logging.Handler h = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord rec) {
        log.add(rec.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(h);
    try {
      AgentFixtures.Run r = run(late, "--detect-source", shortSmall.toString());
      assertThat(startsAndEnds(r)).extracting(MotionEvent::type)
          .containsExactly(MotionEvent.Phase.START, MotionEvent.Phase.END);
      assertThat(r.detect()).isEqualTo("main-fallback");
      assertThat(log).anyMatch(l -> l.contains("detecting motion on detect source"));
      assertThat(log).anyMatch(l -> l.contains("detect source unavailable")
          && l.contains("downscaled decode of the main stream"));
    } finally {
      logger.removeHandler(h);
    }
  }

  @Test
  void aDetectSourceThatCannotBeOpenedLeavesDetectionOnTheMainStream() throws Exception {
    com.sun.net.httpserver.HttpServer down = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext("/", ex -> {
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    down.start();
    try {
      AgentFixtures.Run r = run(AgentFixtures.movingBox(), "--detect-source",
          "http://127.0.0.1:" + down.getAddress().getPort() + "/sub");
      assertThat(startsAndEnds(r)).hasSize(2);
      assertThat(r.detect()).isEqualTo("main-fallback");
      assertThat(r.metrics().value("mecam_agent_detect_source_frames_decoded_total")).isZero();
    } finally {
      down.stop(0);
    }
  }

  @Test
  void disarmedCameraRecordsOnlyWhenConfiguredAndMarksItsEvents() throws Exception {
    AgentFixtures.Run recorded = run(AgentFixtures.movingBox(), "--armed=false");
    assertThat(events(recorded)).isNotEmpty().allSatisfy(e -> assertThat(e.armed()).isFalse());
    assertThat(media(recorded)).extracting(MediaReady::kind).containsExactly(MediaKind.SNAPSHOT, MediaKind.CLIP);
    AgentFixtures.Run quiet = run(AgentFixtures.movingBox(), "--armed=false", "--record-when-disarmed=false");
    assertThat(quiet.messages()).isEmpty();
    assertThat(quiet.media().count()).isZero();
    assertThat(quiet.metrics().value("mecam_agent_motion_events_total")).as("still detecting").isEqualTo(1);
  }
}
