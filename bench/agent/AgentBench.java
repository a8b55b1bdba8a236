import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mecam.agent.CameraAgent;
import org.mecam.agent.capture.FrameDecoder;
import org.mecam.agent.capture.SceneGenerator;
import org.mecam.agent.capture.StreamInput;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.config.SourceSpec;
import org.mecam.agent.detect.MotionDetector;
import org.mecam.agent.media.DiskSpacePolicy;
import org.mecam.agent.media.MediaStore;
import org.mecam.agent.mqtt.EventPublisher;
import org.mecam.agent.mqtt.Outbox;
import org.mecam.agent.observe.Metrics;
import org.mecam.agent.service.Alerts;
import org.mecam.agent.service.CameraLoop;
import org.mecam.agent.service.CameraStatus;

/**
 * Camera-agent benchmark (issue 3 item 10), run by bench/agent/run.sh with the agent's runner jar on
 * the class path: (1) motion analysis frames/s per core at 640×360 and 1280×720 analysis resolution,
 * running average and MOG2; (2) the agent's real camera loop (decode + detect, no recording) on a
 * generated 720p H.264 file against decode-only of the same file in the same process and run;
 * (3) resident memory of the agent jar playing the 720p file in real time, measured by run.sh.
 */
public class AgentBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "target/bench-agent").toAbsolutePath();
    Files.createDirectories(work);
    opencv_core.setNumThreads(1);
    org.mecam.agent.observe.Logging.configure("warn");
    Path file = work.resolve("scene-720p.mp4");
    if (!Files.exists(file)) {
      System.out.println("generating " + file + " (1280x720, 25 fps, 40 s, H.264, sensor noise, a box moving 8-20 s) ...");
      SceneGenerator.generate(new SceneGenerator.Spec(SceneGenerator.Kind.NOISY_MOVING_BOX, 1280, 720, 25, 40, 8, 20,
          new double[] {0, 0.25, 1, 0.75}, 50), file);
    }
    Path sub = work.resolve("scene-360p-sub.mp4");
    if (!Files.exists(sub)) {
      System.out.println("generating " + sub + " (the same scene at 640x360: the camera's detect substream) ...");
      SceneGenerator.generate(new SceneGenerator.Spec(SceneGenerator.Kind.NOISY_MOVING_BOX, 640, 360, 25, 40, 8, 20,
          new double[] {0, 0.25, 1, 0.75}, 50), sub);
    }
    System.out.println("cpu: " + Runtime.getRuntime().availableProcessors() + " cores visible; OpenCV threads: 1;"
        + " decoder threads: 1");

    for (int height : new int[] {360, 720}) {
      List<Mat> frames = grayFrames(file, height, 60);
      for (boolean mog2 : new boolean[] {false, true}) {
        double fps = analysisFps(frames, mog2);
        System.out.printf("analysis %dx%d %-7s : %7.1f frames/s on one core%n", frames.get(0).cols(), height,
            mog2 ? "mog2" : "average", fps);
      }
      frames.forEach(Mat::close);
    }

    // Interleaved runs; frames per wall second and per CPU second of the whole process (the machine
    // may be shared: CPU time is the steadier measure of what the agent costs).
    List<double[]> decodeOnly = new ArrayList<>();
    List<double[]> agent = new ArrayList<>();
    List<double[]> agentSub = new ArrayList<>();
    decodeOnlyFps(file); // warm-up
    agentFps(file, null, 0, work.resolve("warm"));
    agentFps(file, sub, 0, work.resolve("warm-sub"));
    long fileFrames = frameCount(file);
    for (int i = 0; i < 5; i++) {
      decodeOnly.add(decodeOnlyFps(file));
      agent.add(agentFps(file, null, 0, work.resolve("run" + i)));
      agentSub.add(agentFps(file, sub, fileFrames, work.resolve("sub" + i)));
    }
    double dWall = median(decodeOnly, 0);
    double aWall = median(agent, 0);
    double dCpu = median(decodeOnly, 1);
    double aCpu = median(agent, 1);
    System.out.printf("decode-only 720p          : %7.1f frames/s wall, %7.1f frames per CPU-second (median of 5)%n",
        dWall, dCpu);
    System.out.printf("agent decode+detect 720p  : %7.1f frames/s wall, %7.1f frames per CPU-second (median of 5)%n",
        aWall, aCpu);
    System.out.printf("ratio agent/decode-only   : %7.1f %% wall, %5.1f %% CPU  (target >= 80 %%)%n",
        100 * aWall / dWall, 100 * aCpu / dCpu);
    double sWall = median(agentSub, 0);
    double sCpu = median(agentSub, 1);
    System.out.printf("agent 720p + 360p detect-source: %7.1f main frames/s wall, %7.1f main frames per CPU-second "
        + "(median of 5)%n", sWall, sCpu);
    System.out.printf("ratio detect-source/decode-only: %7.1f %% wall, %5.1f %% CPU; CPU per main frame %.0f %% of "
        + "the main-decode agent's%n", 100 * sWall / dWall, 100 * sCpu / dCpu, 100 * aCpu / sCpu);
  }

  /** Decoded frames of the file, scaled to {@code height} grayscale (what the detector sees). */
  static List<Mat> grayFrames(Path file, int height, int count) throws Exception {
    List<Mat> out = new ArrayList<>();
    try (StreamInput in = StreamInput.open(SourceSpec.Kind.FILE, file.toString(), file.toString());
         FrameDecoder dec = new FrameDecoder(in.codecParameters(), height, 1)) {
      AVPacket pkt = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
      int n = 0;
      while (out.size() < count && in.read(pkt)) {
        dec.decode(pkt, (pts, d) -> out.add(d.gray().clone()));
        org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
        n++;
      }
      org.bytedeco.ffmpeg.global.avcodec.av_packet_free(pkt);
    }
    return out;
  }

  static double analysisFps(List<Mat> frames, boolean mog2) {
    try (MotionDetector det = new MotionDetector(new MotionDetector.Settings(60, 0.002, 0.4, List.of(), List.of(),
        mog2, 5))) {
      for (int i = 0; i < 20; i++) {
        det.analyse(frames.get(i % frames.size()));
      }
      long t0 = System.nanoTime();
      int n = 0;
      while (System.nanoTime() - t0 < 4_000_000_000L) {
        det.analyse(frames.get(n % frames.size()));
        n++;
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** FFmpeg decode of every frame, nothing else: the baseline. Returns {frames/s wall, frames/CPU-s}. */
  static double[] decodeOnlyFps(Path file) throws Exception {
    long frames = 0;
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    try (StreamInput in = StreamInput.open(SourceSpec.Kind.FILE, file.toString(), file.toString());
         FrameDecoder dec = new FrameDecoder(in.codecParameters(), 180, 1)) {
      AVPacket pkt = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
      long[] count = {0};
      while (in.read(pkt)) {
        dec.decode(pkt, (pts, d) -> count[0]++);
        org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
      }
      org.bytedeco.ffmpeg.global.avcodec.av_packet_free(pkt);
      frames = count[0];
    }
    return new double[] {frames / ((System.nanoTime() - t0) / 1e9), frames / ((cpuNanos() - c0) / 1e9)};
  }

  static long frameCount(Path file) throws Exception {
    try (StreamInput in = StreamInput.open(SourceSpec.Kind.FILE, file.toString(), file.toString())) {
      AVPacket pkt = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
      long n = 0;
      while (in.read(pkt)) {
        n++;
        org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
      }
      org.bytedeco.ffmpeg.global.avcodec.av_packet_free(pkt);
      return n;
    }
  }

  /**
   * The agent's own camera loop on the file, unpaced, disarmed without recording (decode + detect); with
   * {@code detectSource} it detects on that file instead and only demuxes the main one ({@code mainFrames}
   * is then the main file's frame count, as the main stream is no longer decoded).
   */
  static double[] agentFps(Path file, Path detectSource, long mainFrames, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path token = dir.resolve("token");
    Files.writeString(token, "bench-token-0123456789");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    List<String> args = new ArrayList<>(List.of("--camera-id", "bench", "--source", file.toString(),
        "--realtime=false", "--data-dir", dir.toString(), "--media-token-file", token.toString(),
        "--armed=false", "--record-when-disarmed=false"));
    if (detectSource != null) {
      args.addAll(List.of("--detect-source", detectSource.toString()));
    }
    AgentConfig cfg = CameraAgent.parse(args.toArray(String[]::new), Map.of(),
        new PrintStream(new ByteArrayOutputStream()));
    Metrics metrics = new Metrics();
    Outbox outbox = new Outbox(dir.resolve("outbox"));
    EventPublisher pub = new EventPublisher("bench", outbox, Clock.systemUTC(), metrics);
    Alerts alerts = new Alerts(pub, "bench");
    MediaStore media = new MediaStore(cfg.mediaDir());
    CameraLoop loop = new CameraLoop(cfg, new CameraStatus("bench", "file", dir, false, Clock.systemUTC()), pub,
        media, new DiskSpacePolicy(media, DiskSpacePolicy.diskOf(media), cfg.diskWarnFree(), cfg.diskDropFree(),
        alerts), alerts, Clock.systemUTC(), metrics);
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    loop.start();
    loop.join(Duration.ofMinutes(5));
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - c0) / 1e9;
    loop.stop();
    double frames = detectSource != null ? mainFrames : metrics.value("mecam_agent_frames_decoded_total");
    if (metrics.value("mecam_agent_motion_events_total") < 1) {
      throw new IllegalStateException("the agent saw no motion in the benchmark scene");
    }
    return new double[] {frames / seconds, frames / cpu};
  }

  static double median(List<double[]> v, int index) {
    double[] a = v.stream().mapToDouble(x -> x[index]).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
