package org.mecam.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mecam.agent.capture.SceneGenerator;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.media.DiskSpacePolicy;
import org.mecam.agent.media.MediaStore;
import org.mecam.agent.mqtt.EventPublisher;
import org.mecam.agent.mqtt.Outbox;
import org.mecam.agent.observe.Metrics;
import org.mecam.agent.service.Alerts;
import org.mecam.agent.service.CameraLoop;
import org.mecam.agent.service.CameraStatus;

/** Shared test helpers: token files, configs through the real CLI, cached generated scenes, a broker-less camera run. */
public final class AgentFixtures {
  public static final String TOKEN = "test-token-0123456789abcdef";
  private static final Path SCENES = Path.of("target", "scenes");

  private AgentFixtures() {}

  public static Path secretFile(Path dir, String name, String content) throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve(name);
    Files.writeString(f, content + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /** Builds a config through the real CLI parser, with a token file and data dir under {@code dir}. */
  public static AgentConfig config(Path dir, String... extra) throws Exception {
    Path token = secretFile(dir, "media.token", TOKEN);
    List<String> args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(),
        "--media-token-file", token.toString(), "--http-bind", "127.0.0.1"));
    if (!Arrays.asList(extra).contains("--camera-id")) {
      args.addAll(List.of("--camera-id", "cam-test"));
    }
    args.addAll(Arrays.asList(extra));
    return CameraAgent.parse(args.toArray(String[]::new), Map.of(), new PrintStream(new ByteArrayOutputStream()));
  }

  /** A generated scene, made once and kept under target/scenes. */
  public static synchronized Path scene(String name, SceneGenerator.Spec spec) throws IOException {
    if (name.equals("moving-box-mjpeg-avi")) {
      Path f = SCENES.resolve(name + ".avi").toAbsolutePath();
      if (!Files.exists(f)) {
        SceneGenerator.generate(SceneGenerator.Spec.movingBox(640, 360, 15, 12, 2, 5), f, "mjpeg", "avi");
      }
      return f;
    }
    Path f = SCENES.resolve(name + ".mp4").toAbsolutePath();
    if (!Files.exists(f)) {
      SceneGenerator.generate(spec, f);
    }
    return f;
  }

  /** The moving-box scene used by most tests: 12 s at 640×360, 15 fps, the box moves from 2 s to 5 s. */
  public static Path movingBox() throws IOException {
    return scene("moving-box", SceneGenerator.Spec.movingBox(640, 360, 15, 12, 2, 5));
  }

  /** What a broker-less run of the camera loop produced. */
  public record Run(List<Outbox.Entry> messages, MediaStore media, Metrics metrics, String detect) {
    public List<String> topics() {
      return messages.stream().map(Outbox.Entry::topic).toList();
    }

    public List<String> payloads(String topicSuffix) {
      return messages.stream().filter(e -> e.topic().endsWith(topicSuffix))
          .map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
    }
  }

  /** The camera loop with real outbox, media store and alerts, but no broker. */
  public static final class Harness {
    public final Metrics metrics = new Metrics();
    public final Outbox outbox;
    public final MediaStore media;
    public final CameraLoop loop;
    public final CameraStatus status;

    public Harness(AgentConfig cfg) throws IOException {
      outbox = new Outbox(cfg.dataDir().resolve("outbox"));
      Clock clock = Clock.systemUTC();
      EventPublisher publisher = new EventPublisher(cfg.cameraId(), outbox, clock, metrics);
      Alerts alerts = new Alerts(publisher, cfg.cameraId());
      status = new CameraStatus(cfg.cameraId(), "file", cfg.dataDir(), cfg.armed(), clock);
      media = new MediaStore(cfg.mediaDir());
      DiskSpacePolicy disk = new DiskSpacePolicy(media, DiskSpacePolicy.diskOf(media), cfg.diskWarnFree(),
          cfg.diskDropFree(), alerts);
      loop = new CameraLoop(cfg, status, publisher, media, disk, alerts, clock, metrics);
    }

    /** Queued payloads (as text) whose topic ends with {@code suffix}. */
    public List<String> payloads(String suffix) throws IOException {
      return outbox.pending().stream().filter(e -> e.topic().endsWith(suffix))
          .map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
    }
  }

  /** Runs the camera loop over a file (unpaced) to its end and returns the queued messages. */
  public static Run runCamera(AgentConfig cfg) throws Exception {
    Harness h = new Harness(cfg);
    h.loop.start();
    h.loop.join(Duration.ofSeconds(60));
    h.loop.stop();
    return new Run(h.outbox.pending(), h.media, h.metrics, h.status.detect());
  }
}
