package org.mecam.agent.service;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mecam.agent.capture.FrameDecoder;
import org.mecam.agent.capture.SceneGenerator;
import org.mecam.agent.capture.StreamInput;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.config.SourceSpec;
import org.mecam.agent.detect.MotionDetector;
import org.mecam.agent.detect.MotionResult;
import org.mecam.agent.detect.MotionTracker;
import org.mecam.agent.media.DiskSpacePolicy;
import org.mecam.agent.media.MediaStore;
import org.mecam.agent.mqtt.EventPublisher;
import org.mecam.agent.observe.Metrics;
import org.mecam.agent.record.BufferedPacket;
import org.mecam.agent.record.ClipWriter;
import org.mecam.agent.record.ClipWriters;
import org.mecam.agent.record.PacketRing;
import org.mecam.agent.record.SnapshotEncoder;
import org.mecam.events.Alert;
import org.mecam.events.Box;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MotionEvent;

/**
 * The camera's main loop: reads packets from the source, keeps the pre-roll ring, decodes, analyses
 * every n-th frame for motion (or, with a detect source, takes the motion results of {@link DetectFeed}
 * and decodes the main stream only for snapshots), and drives events, updates, snapshots and clips. {@link #run()} reconnects with
 * backoff after a dropped stream ({@code stream-lost} / {@code camera-reconnecting} alerts) until
 * {@link #stop()}. Finishing files and queueing messages happens on one worker thread, in order, so
 * the capture never waits for the disk.
 */
public final class CameraLoop implements Runnable {
  private static final Logger LOG = Logger.getLogger(CameraLoop.class.getName());
  private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

  private final AgentConfig cfg;
  private final CameraStatus status;
  private final EventPublisher publisher;
  private final MediaStore media;
  private final DiskSpacePolicy disk;
  private final Alerts alerts;
  private final Clock clock;
  private final ExecutorService finisher;
  private final Metrics.Counter framesDecoded;
  private final Metrics.Counter framesAnalysed;
  private final Metrics.Counter analysisNanos;
  private final Metrics.Counter eventsStarted;
  private final Metrics.Counter lightChanges;
  private final Metrics.Counter detectFramesDecoded;
  private volatile java.util.function.Consumer<byte[]> snapshotListener = jpeg -> { };
  private volatile boolean running = true;
  private volatile Thread thread;
  private volatile long preRollBytes;

  // Touched only by the capture thread.
  private Session session;
  private long backoffMs = 1_000;
  private Instant downSince;

  public CameraLoop(AgentConfig cfg, CameraStatus status, EventPublisher publisher, MediaStore media,
      DiskSpacePolicy disk, Alerts alerts, Clock clock, Metrics metrics) {
    this.cfg = cfg;
    this.status = status;
    this.publisher = publisher;
    this.media = media;
    this.disk = disk;
    this.alerts = alerts;
    this.clock = clock;
    this.finisher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "media-finisher");
      t.setDaemon(true);
      return t;
    });
    framesDecoded = metrics.counter("mecam_agent_frames_decoded_total", "Video frames decoded");
    framesAnalysed = metrics.counter("mecam_agent_frames_analysed_total", "Frames analysed for motion");
    analysisNanos = metrics.counter("mecam_agent_analysis_seconds_total", "Time spent in motion analysis");
    eventsStarted = metrics.counter("mecam_agent_motion_events_total", "Motion events started");
    lightChanges = metrics.counter("mecam_agent_light_changes_total", "Global light changes ignored");
    detectFramesDecoded = metrics.counter("mecam_agent_detect_source_frames_decoded_total",
        "Frames decoded from the low-resolution detect source");
    metrics.gauge("mecam_agent_detecting_on_detect_source", "1 while motion detection runs on the detect source",
        () -> "detect-source".equals(status.detect()) ? 1 : 0);
    status.detectingOn(cfg.detectSource() == null ? "main" : "main-fallback");
    metrics.gauge("mecam_agent_stream_up", "1 while the camera stream delivers frames", () -> status.streaming() ? 1 : 0);
    metrics.gauge("mecam_agent_fps", "Measured frames per second of the source", status::fps);
    metrics.gauge("mecam_agent_preroll_bytes", "Bytes of encoded video held for pre-roll", () -> preRollBytes);
  }

  /** Also hands each snapshot JPEG to {@code listener} (Home Assistant's camera entity). */
  public void onSnapshot(java.util.function.Consumer<byte[]> listener) {
    this.snapshotListener = listener;
  }

  /** Starts the loop on its own thread. */
  public void start() {
    Thread t = new Thread(this, "camera-" + cfg.cameraId());
    thread = t;
    t.start();
  }

  @Override
  public void run() {
    preloadNatives();
    while (running) {
      try {
        boolean ended = runOnce(() -> {
          // The source is open and delivering: the next failure is a new outage.
          downSince = null;
          backoffMs = 1_000;
        });
        if (ended && cfg.source().live()) {
          throw new IOException("stream " + cfg.source() + " ended");
        }
        if (ended) {
          LOG.info("camera " + cfg.cameraId() + " source " + cfg.source() + " ended");
          status.streamDown(false);
          return;
        }
      } catch (IOException | RuntimeException e) {
        if (!running) {
          break;
        }
        status.streamDown(true);
        Instant now = clock.instant();
        if (downSince == null) {
          downSince = now;
          alerts.raise(Alert.Kind.STREAM_LOST, Alert.Severity.SECURITY,
              "camera " + cfg.cameraId() + " stream lost: " + e.getMessage());
        } else if (Duration.between(downSince, now).compareTo(cfg.reconnectAlertAfter()) >= 0) {
          alerts.raise(Alert.Kind.CAMERA_RECONNECTING, Alert.Severity.SYSTEM, "camera " + cfg.cameraId()
              + " has been reconnecting for " + Duration.between(downSince, now).toSeconds() + " s: " + e.getMessage());
        }
        LOG.warning("camera " + cfg.cameraId() + ": " + e.getMessage() + "; retrying in " + backoffMs + " ms");
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 30_000);
        continue;
      }
      break;
    }
  }

  /**
   * Loads FFmpeg's and OpenCV's native libraries before the first source opens (seconds on a Pi): a
   * child-process source started first would write into a full pipe meanwhile and then deliver its first
   * seconds in one burst. Not opencv_video: JavaCPP's preset for it links highgui (GTK), which a Pi without a
   * desktop lacks; it is loaded only with --background mog2.
   */
  private static void preloadNatives() {
    org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
    org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
    org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
    org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_imgproc.class);
    org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_imgcodecs.class);
  }

  /** Reads the source until it ends (true) or stop() (false); throws when the stream breaks. */
  private boolean runOnce(Runnable onOpen) throws IOException {
    Path file;
    boolean loop = cfg.loop();
    if (cfg.source().kind() == SourceSpec.Kind.TEST) {
      file = testScene();
      loop = true;
    } else {
      file = null;
    }
    String location = file != null ? file.toString() : cfg.source().location();
    SourceSpec.Kind kind = file != null ? SourceSpec.Kind.FILE : cfg.source().kind();
    java.util.Map<String, String> inputOptions = new java.util.HashMap<>();
    if (kind == SourceSpec.Kind.V4L2) {
      if (cfg.v4l2InputFormat() != null) {
        inputOptions.put("input_format", cfg.v4l2InputFormat());
      }
      if (cfg.v4l2Size() != null) {
        inputOptions.put("video_size", cfg.v4l2Size());
      }
      if (cfg.v4l2Fps() > 0) {
        inputOptions.put("framerate", Double.toString(cfg.v4l2Fps()));
      }
    }
    if (kind == SourceSpec.Kind.EXEC) {
      inputOptions.put("framerate", Double.toString(cfg.execFramerate()));
    }
    try (StreamInput in = StreamInput.open(kind, location, cfg.source().toString(), inputOptions);
         FrameDecoder dec = new FrameDecoder(in.codecParameters(), cfg.detectHeight(), 1);
         PacketRing ring = new PacketRing(cfg.preRoll().toNanos() / 1000 + 1_000_000);
         MotionDetector det = new MotionDetector(detectorSettings())) {
      LOG.info("camera " + cfg.cameraId() + " reading " + cfg.source() + " (" + in.width() + "x" + in.height()
          + ", " + String.format(java.util.Locale.ROOT, "%.1f", in.nominalFps()) + " fps, analysing "
          + dec.analysisWidth() + "x" + dec.analysisHeight() + " at " + cfg.detectFps() + " fps)");
      alerts.clear(Alert.Kind.STREAM_LOST, "camera " + cfg.cameraId() + " stream is back");
      alerts.clear(Alert.Kind.CAMERA_RECONNECTING, "camera " + cfg.cameraId() + " stream is back");
      status.streamUp(in.width(), in.height(), in.nominalFps());
      onOpen.run();
      DetectFeed feed = cfg.detectSource() == null ? null : new DetectFeed(cfg.detectSource(), cfg.loop(),
          cfg.realtime(), cfg.detectHeight(), cfg.detectFps(), detectorSettings(), clock, detectFramesDecoded,
          framesAnalysed, cfg.cameraId());
      session = new Session(in, dec, ring, det, loop, feed);
      try {
        if (feed != null) {
          feed.start();
        }
        return session.pump();
      } finally {
        session.finishEvent();
        session = null;
        if (feed != null) {
          feed.close();
        }
      }
    }
  }

  private MotionDetector.Settings detectorSettings() {
    return new MotionDetector.Settings(cfg.sensitivity(), cfg.minArea(), cfg.lightChange(), cfg.zones(),
        cfg.masks(), cfg.background().equals("mog2"), cfg.detectFps());
  }

  private Path testScene() throws IOException {
    Path file = cfg.dataDir().resolve("samples").resolve("test-" + cfg.source().location() + ".mp4");
    if (!Files.exists(file)) {
      // Bundled in the jar (made by SceneGenerator.testSource()), so the first event comes within
      // seconds even on a slow machine; generated only if the resource is missing.
      try (java.io.InputStream in = SceneGenerator.class.getResourceAsStream("test-" + cfg.source().location() + ".mp4")) {
        Files.createDirectories(file.getParent());
        if (in != null) {
          Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
          Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
          LOG.info("generating test scene " + file);
          SceneGenerator.generate(SceneGenerator.testSource(), file);
        }
      }
    }
    return file;
  }

  /** One open source: timeline, pre-roll, detector, and the event in progress. */
  private final class Session {
    private final StreamInput in;
    private final FrameDecoder dec;
    private final PacketRing ring;
    private final MotionDetector det;
    private final boolean loop;
    private final MotionTracker tracker;
    private final Timeline timeline;
    private final AVRational tb;
    private final long frameUs;
    private final long analysisIntervalUs;
    private long loopOffsetUs;
    private long maxEndUs;
    private long lastDtsUs = Long.MIN_VALUE;
    private long nextAnalysisUs = Long.MIN_VALUE;
    private long paceAnchorNanos = -1;
    private long paceAnchorUs;
    private long fpsWindowStart = System.nanoTime();
    private long fpsFrames;
    private Event event;
    private Best best;
    /** The detect-source reader, or null when detection always decodes the main stream. */
    private final DetectFeed feed;
    /** Both sources are files: keep them in step on the media timeline (else map by wall clock). */
    private final boolean lockStep;
    /** Detection currently runs on the detect source; the main stream is only demuxed. */
    private boolean onDetectSource;
    private boolean fallbackAnnounced;
    private DetectFeed.Item pendingItem;
    private long lastResultUs = Long.MIN_VALUE;
    /** The main decoder has been fed every packet since a keyframe (its current frame is valid). */
    private boolean mainSynced = true;
    private final long updateIntervalUs;

    Session(StreamInput in, FrameDecoder dec, PacketRing ring, MotionDetector det, boolean loop,
        DetectFeed feed) {
      this.in = in;
      this.feed = feed;
      this.lockStep = feed != null && !feed.live() && !cfg.source().live();
      if (feed != null) {
        // Until the detect source delivers, detection runs on the main stream.
        status.detectingOn("main-fallback");
      }
      this.updateIntervalUs = cfg.updateInterval().toNanos() / 1000;
      this.dec = dec;
      this.ring = ring;
      this.det = det;
      this.loop = loop;
      this.tb = in.timeBase();
      double fps = in.nominalFps() > 0 ? in.nominalFps() : 25;
      this.frameUs = Math.round(1_000_000 / fps);
      this.analysisIntervalUs = Math.round(1_000_000 / cfg.detectFps());
      long gapUs = Math.max(3 * analysisIntervalUs, 400_000);
      this.tracker = new MotionTracker(cfg.minDuration().toNanos() / 1000, cfg.postRoll().toNanos() / 1000,
          cfg.maxClip().toNanos() / 1000, gapUs);
      this.timeline = new Timeline(clock, cfg.source().live());
    }

    boolean pump() throws IOException {
      AVPacket pkt = av_packet_alloc();
      try {
        while (running) {
          if (!in.read(pkt)) {
            if (!loop) {
              return true;
            }
            in.rewind();
            loopOffsetUs = maxEndUs + frameUs;
            continue;
          }
          try {
            onPacket(pkt);
          } finally {
            av_packet_unref(pkt);
          }
        }
        return false;
      } finally {
        av_packet_free(pkt);
      }
    }

    private long us(long ts) {
      return loopOffsetUs + av_rescale_q(ts - in.startTime(), tb, MICROS);
    }

    private void onPacket(AVPacket pkt) throws IOException {
      long pts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
      long dts = pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : pts;
      long ptsUs;
      long dtsUs;
      if (pts == AV_NOPTS_VALUE) {
        dtsUs = lastDtsUs == Long.MIN_VALUE ? loopOffsetUs : lastDtsUs + frameUs;
        ptsUs = dtsUs;
      } else {
        ptsUs = us(pts);
        dtsUs = us(dts);
      }
      if (lastDtsUs != Long.MIN_VALUE && dtsUs <= lastDtsUs) {
        dtsUs = lastDtsUs + 1;
        ptsUs = Math.max(ptsUs, dtsUs);
      }
      lastDtsUs = dtsUs;
      long durUs = pkt.duration() > 0 ? av_rescale_q(pkt.duration(), tb, MICROS) : frameUs;
      maxEndUs = Math.max(maxEndUs, Math.max(ptsUs, dtsUs) + durUs);
      pace(dtsUs);
      timeline.observe(dtsUs);
      BufferedPacket bp = new BufferedPacket(pkt, ptsUs, dtsUs, durUs, (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
      ring.add(bp);
      preRollBytes = ring.bytes();
      if (event != null && event.writer != null) {
        event.writer.write(bp);
      }
      countFps();
      if (!onDetectSource) {
        if (mainSynced) {
          long fallbackUs = ptsUs;
          dec.decode(pkt, (framePts, d) -> onFrame(framePts == AV_NOPTS_VALUE ? fallbackUs : us(framePts)));
        } else {
          syncMain(dtsUs);
        }
      } else if (mainSynced && wantFullFrames()) {
        dec.decode(pkt, (framePts, d) -> mainFrame());
      } else {
        mainSynced = false;
      }
      if (feed != null) {
        drainFeed(dtsUs);
      }
    }

    /** A main-stream frame decoded only for a snapshot (detection runs on the detect source). */
    private void mainFrame() {
      framesDecoded.inc();
      dec.keep();
    }

    /**
     * Starts decoding the main stream mid-way: the decoder is flushed and fed the ring's packets from
     * the newest keyframe at or before {@code nowUs}, so its current frame is the newest picture.
     */
    private void syncMain(long nowUs) throws IOException {
      org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers(dec.context());
      dec.dropKept();
      for (BufferedPacket p : ring.from(nowUs)) {
        dec.decode(p.packet(), (framePts, d) -> mainFrame());
      }
      mainSynced = true;
    }

    /** Full-size frames are needed while motion builds up or an event waits for its snapshot. */
    private boolean wantFullFrames() {
      boolean tracking = tracker.active() || tracker.candidateStartUs() >= 0;
      boolean recording = status.armed() || cfg.recordWhenDisarmed();
      return tracking && recording && (event == null || !event.snapshotDone);
    }

    /** The current full-size main-stream picture as a new BGR image, or null when there is none. */
    private Mat fullFrame() throws IOException {
      if (onDetectSource && !mainSynced) {
        syncMain(lastDtsUs);
      }
      return dec.keptBgr();
    }

    /**
     * Takes the detect source's results up to the main stream's time {@code nowUs}. With two files it
     * waits for the detect file to get there (so tests and demos are deterministic); with a live source
     * it takes what has arrived and maps it onto the main timeline by wall-clock time.
     */
    private void drainFeed(long nowUs) throws IOException {
      while (running) {
        DetectFeed.Item item = pendingItem != null ? pendingItem : feed.poll();
        pendingItem = null;
        if (item == null) {
          if (!lockStep || feed.finished()) {
            return;
          }
          try {
            item = feed.poll(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          if (item == null) {
            continue;
          }
        }
        if (item instanceof DetectFeed.Result r) {
          long tUs = lockStep ? r.us() : timeline.us(r.wall());
          if (tUs > nowUs) {
            pendingItem = item;
            return;
          }
          if (onDetectSource) {
            tUs = lastResultUs == Long.MIN_VALUE ? tUs : Math.max(tUs, lastResultUs + 1);
            lastResultUs = tUs;
            onResult(tUs, r.motion());
          }
        } else if (item instanceof DetectFeed.Up u) {
          onDetectSource = true;
          fallbackAnnounced = false;
          mainSynced = false;
          dec.dropKept();
          status.detectingOn("detect-source");
          LOG.info("camera " + cfg.cameraId() + " detecting motion on detect source " + cfg.detectSource() + " ("
              + u.width() + "x" + u.height() + "); the main stream is only copied into clips");
        } else if (item instanceof DetectFeed.Down d) {
          fallBack(d.reason());
        } else if (item instanceof DetectFeed.Ended) {
          fallBack("detect source " + cfg.detectSource() + " ended");
        }
      }
    }

    private void fallBack(String reason) {
      boolean was = onDetectSource;
      onDetectSource = false;
      status.detectingOn("main-fallback");
      if (was || !fallbackAnnounced) {
        fallbackAnnounced = true;
        LOG.warning("camera " + cfg.cameraId() + " detect source unavailable (" + reason + "); detecting on a "
            + "downscaled decode of the main stream until it is back");
      } else {
        LOG.fine("camera " + cfg.cameraId() + " detect source still unavailable: " + reason);
      }
      if (was) {
        // The main decoder was idle: start it at a keyframe, and learn the background afresh.
        det.forgetBackground();
        nextAnalysisUs = Long.MIN_VALUE;
      }
    }

    /** Sleeps so a file plays at its own speed, as a camera would deliver it. */
    private void pace(long dtsUs) {
      if (!cfg.realtime() || cfg.source().live()) {
        return;
      }
      long now = System.nanoTime();
      if (paceAnchorNanos < 0) {
        paceAnchorNanos = now;
        paceAnchorUs = dtsUs;
        return;
      }
      long due = paceAnchorNanos + (dtsUs - paceAnchorUs) * 1000;
      long wait = due - now;
      if (wait > 0) {
        sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } else if (wait < -1_000_000_000L) {
        paceAnchorNanos = now;
        paceAnchorUs = dtsUs;
      }
    }

    private void onFrame(long tUs) throws IOException {
      framesDecoded.inc();
      if (nextAnalysisUs != Long.MIN_VALUE && tUs + frameUs / 2 < nextAnalysisUs) {
        return;
      }
      nextAnalysisUs = (nextAnalysisUs == Long.MIN_VALUE || nextAnalysisUs + analysisIntervalUs < tUs)
          ? tUs + analysisIntervalUs : nextAnalysisUs + analysisIntervalUs;
      dec.keep();
      long t0 = System.nanoTime();
      MotionResult r = det.analyse(dec.gray());
      analysisNanos.add((System.nanoTime() - t0) / 1e9);
      framesAnalysed.inc();
      onResult(tUs, r);
    }

    /** One analysed frame (of the main stream or the detect source) at {@code tUs} on the main timeline. */
    private void onResult(long tUs, MotionResult r) throws IOException {
      if (r.lightChange()) {
        lightChanges.inc();
        LOG.fine("camera " + cfg.cameraId() + " light change over " + Math.round(r.changedFraction() * 100)
            + "% of the frame ignored");
      }
      MotionTracker.Action action = tracker.onFrame(tUs, r);
      boolean tracking = tracker.active() || tracker.candidateStartUs() >= 0;
      if (!tracking && event == null && best != null) {
        best.close();
        best = null;
      }
      boolean recording = status.armed() || cfg.recordWhenDisarmed();
      boolean snapshotPending = event == null || !event.snapshotDone;
      if (tracking && recording && snapshotPending && r.motion() && (best == null || r.score() > best.score)) {
        Mat image = fullFrame();
        if (image != null) {
          if (best != null) {
            best.close();
          }
          best = new Best(r.score(), r.boxes(), image, tUs);
        }
      }
      if (event != null) {
        event.maxScore = Math.max(event.maxScore, r.score());
      }
      if (action == MotionTracker.Action.START) {
        startEvent(r);
        if (event != null) {
          event.lastMessageUs = tUs;
        }
      } else if (action == MotionTracker.Action.NONE && event != null && !event.ignored && r.motion()
          && updateIntervalUs > 0 && tUs - event.lastMessageUs >= updateIntervalUs) {
        Event e = event;
        e.lastMessageUs = tUs;
        Instant startedAt = timeline.wall(e.startedUs);
        double score = r.score();
        List<Box> boxes = r.boxes();
        submit(() -> publisher.motion(MotionEvent.Phase.UPDATE, e.id, score, boxes, e.armed, startedAt, null));
      }
      if (event != null && !event.snapshotDone && tUs - tracker.startedUs() >= cfg.snapshotDelay().toNanos() / 1000) {
        snapshot();
      }
      if (action == MotionTracker.Action.END) {
        endEvent(tUs);
      }
    }

    private void countFps() {
      fpsFrames++;
      long now = System.nanoTime();
      if (now - fpsWindowStart >= 5_000_000_000L) {
        status.measuredFps(fpsFrames * 1e9 / (now - fpsWindowStart));
        fpsFrames = 0;
        fpsWindowStart = now;
      }
    }

    private void startEvent(MotionResult r) throws IOException {
      boolean armed = status.armed();
      Event e = new Event(Ids.newId(), armed, tracker.startedUs());
      e.maxScore = r.score();
      event = e;
      eventsStarted.inc();
      if (!armed && !cfg.recordWhenDisarmed()) {
        e.ignored = true;
        LOG.info("camera " + cfg.cameraId() + " motion while disarmed: not recorded (record-when-disarmed=false)");
        return;
      }
      Instant startedAt = timeline.wall(e.startedUs);
      List<Box> boxes = best != null ? best.boxes : r.boxes();
      double score = r.score();
      submit(() -> publisher.motion(MotionEvent.Phase.START, e.id, score, boxes, armed, startedAt, null));
      e.clipId = Ids.newId();
      e.clipPath = media.partialPath(e.clipId, "mp4", startedAt);
      try {
        e.writer = ClipWriters.open(e.clipPath, in);
        for (BufferedPacket p : ring.from(e.startedUs - cfg.preRoll().toNanos() / 1000)) {
          e.writer.write(p);
        }
      } catch (IOException ex) {
        LOG.severe("camera " + cfg.cameraId() + " cannot record clip for event " + e.id + ": " + ex.getMessage());
        closeQuietly(e.writer);
        e.writer = null;
        Files.deleteIfExists(e.clipPath);
      }
    }

    private void snapshot() {
      Event e = event;
      e.snapshotDone = true;
      if (e.ignored) {
        return;
      }
      Best b = best;
      best = null;
      Mat found;
      try {
        found = b != null ? b.image : fullFrame();
      } catch (IOException ex) {
        found = null;
      }
      Mat image = found;
      if (image == null) {
        LOG.warning("camera " + cfg.cameraId() + " no picture of the main stream for the snapshot of event " + e.id);
        return;
      }
      long atUs = b != null ? b.tUs : tracker.lastMotionUs();
      Instant at = timeline.wall(atUs);
      if (b != null) {
        e.bestBoxes = b.boxes;
      }
      String snapId = Ids.newId();
      submit(() -> {
        try {
          byte[] jpeg = SnapshotEncoder.jpeg(image, 85);
          MediaStore.Finished f = media.write(snapId, "jpg", at, jpeg);
          publisher.mediaReady(snapId, e.id, MediaKind.SNAPSHOT, f.relativePath(), url(f), f.sha256(), f.size(),
              "image/jpeg", at, at);
          snapshotListener.accept(jpeg);
        } finally {
          image.close();
        }
        disk.check();
      });
    }

    private void endEvent(long tUs) {
      Event e = event;
      if (e == null) {
        return;
      }
      if (!e.snapshotDone) {
        snapshot();
      }
      event = null;
      if (best != null) {
        best.close();
        best = null;
      }
      if (e.ignored) {
        return;
      }
      Instant startedAt = timeline.wall(e.startedUs);
      Instant endedAt = timeline.wall(Math.max(e.startedUs, Math.min(tUs, tracker.lastMotionUs())));
      double score = e.maxScore;
      List<Box> boxes = e.bestBoxes;
      submit(() -> publisher.motion(MotionEvent.Phase.END, e.id, score, boxes, e.armed, startedAt, endedAt));
      ClipWriter w = e.writer;
      if (w == null) {
        return;
      }
      Instant clipStart = timeline.wall(w.firstUs());
      Instant clipEnd = timeline.wall(w.endUs());
      submit(() -> {
        w.close();
        MediaStore.Finished f = media.finish(e.clipId, e.clipPath);
        publisher.mediaReady(e.clipId, e.id, MediaKind.CLIP, f.relativePath(), url(f), f.sha256(), f.size(),
            "video/mp4", clipStart, clipEnd);
        disk.check();
      });
    }

    /** Ends an event cut short by the end of the source or a dropped stream. */
    void finishEvent() {
      if (event != null) {
        endEvent(lastDtsUs);
      }
      if (best != null) {
        best.close();
        best = null;
      }
    }
  }

  private String url(MediaStore.Finished f) {
    return cfg.mediaBaseUrl() + "/media/" + f.relativePath();
  }

  /** An event in progress. */
  private static final class Event {
    final String id;
    final boolean armed;
    final long startedUs;
    boolean ignored;
    boolean snapshotDone;
    double maxScore;
    /** Media time of the last start/update message (updates are rate-limited on it). */
    long lastMessageUs;
    List<Box> bestBoxes = List.of();
    String clipId;
    Path clipPath;
    ClipWriter writer;

    Event(String id, boolean armed, long startedUs) {
      this.id = id;
      this.armed = armed;
      this.startedUs = startedUs;
    }
  }

  /** The strongest frame so far, kept in full size for the snapshot. */
  private static final class Best implements AutoCloseable {
    final double score;
    final List<Box> boxes;
    final Mat image;
    final long tUs;

    Best(double score, List<Box> boxes, Mat image, long tUs) {
      this.score = score;
      this.boxes = boxes;
      this.image = image;
      this.tUs = tUs;
    }

    @Override
    public void close() {
      image.close();
    }
  }

  /** A piece of finishing work that may fail with an I/O error. */
  private interface Task {
    void run() throws IOException;
  }

  private void submit(Task t) {
    finisher.execute(() -> {
      try {
        t.run();
      } catch (IOException | RuntimeException e) {
        LOG.severe("camera " + cfg.cameraId() + ": " + e.getMessage());
      }
    });
  }

  private static void closeQuietly(ClipWriter w) {
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        // already failing
      }
    }
  }

  /** Stops reading, finishes the event in progress and waits for pending files and messages. */
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    finisher.shutdown();
    try {
      finisher.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the source is done (a file without loop) or the loop stopped. */
  public void join(Duration timeout) throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.join(timeout.toMillis());
    }
  }

  /** Waits until every queued finishing task has run (tests and shutdown). */
  public void drain(Duration timeout) throws InterruptedException {
    java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    finisher.execute(latch::countDown);
    latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void sleep(long ms) {
    sleep(ms, 0);
  }

  private static void sleep(long ms, int nanos) {
    try {
      Thread.sleep(ms, Math.min(nanos, 999_999));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
