package org.mecam.agent.service;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.mecam.agent.capture.FrameDecoder;
import org.mecam.agent.capture.StreamInput;
import org.mecam.agent.config.SourceSpec;
import org.mecam.agent.detect.MotionDetector;
import org.mecam.agent.detect.MotionResult;
import org.mecam.agent.observe.Metrics;

/**
 * Reads the camera's low-resolution detect stream ({@code --detect-source}) on a thread of its own,
 * decodes it, analyses every {@code 1/detect-fps} seconds of it for motion and hands the results to the
 * camera loop, which records the main stream. When the detect stream cannot be opened or drops it says
 * so ({@link Down}) and retries with backoff (live sources), so the loop can fall back to the main stream.
 */
final class DetectFeed implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DetectFeed.class.getName());
  private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

  /** What the feed reports, in order. */
  sealed interface Item permits Up, Down, Result, Ended {}

  /** The detect stream is open and delivering frames of this size. */
  record Up(int width, int height, double fps) implements Item {}

  /** The detect stream failed (not open, or dropped); {@code reason} is loggable (no credentials). */
  record Down(String reason) implements Item {}

  /**
   * One analysed frame: {@code us} on the detect stream's own timeline from its first packet (continuous
   * across loops of a file), and the wall-clock time it stands for.
   */
  record Result(long us, Instant wall, MotionResult motion) implements Item {}

  /** A detect file ended (no loop): nothing more will come. */
  record Ended() implements Item {}

  private final SourceSpec source;
  private final boolean loop;
  private final boolean realtime;
  private final int detectHeight;
  private final double detectFps;
  private final MotionDetector.Settings settings;
  private final Clock clock;
  private final Metrics.Counter framesDecoded;
  private final Metrics.Counter framesAnalysed;
  private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(256);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean finished;
  private long backoffMs = 1_000;

  DetectFeed(SourceSpec source, boolean loop, boolean realtime, int detectHeight, double detectFps,
      MotionDetector.Settings settings, Clock clock, Metrics.Counter framesDecoded,
      Metrics.Counter framesAnalysed, String cameraId) {
    this.source = source;
    this.loop = loop;
    this.realtime = realtime;
    this.detectHeight = detectHeight;
    this.detectFps = detectFps;
    this.settings = settings;
    this.clock = clock;
    this.framesDecoded = framesDecoded;
    this.framesAnalysed = framesAnalysed;
    this.thread = new Thread(this::run, "detect-" + cameraId);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The next item, without waiting; null when there is none yet. */
  Item poll() {
    return items.poll();
  }

  /** The next item, waiting up to {@code ms}; null when there is none. */
  Item poll(long ms) throws InterruptedException {
    return items.poll(ms, TimeUnit.MILLISECONDS);
  }

  /** True once the thread has nothing more to say (file ended, or stopped). */
  boolean finished() {
    return finished && items.isEmpty();
  }

  boolean live() {
    return source.live();
  }

  private void run() {
    try {
      while (running) {
        try {
          if (readOnce(() -> backoffMs = 1_000)) {
            post(new Ended());
            return;
          }
          return;
        } catch (IOException | RuntimeException e) {
          if (!running) {
            return;
          }
          post(new Down(e.getMessage()));
          if (!source.live()) {
            return;
          }
          sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 30_000);
        }
      }
    } finally {
      finished = true;
    }
  }

  /** Reads the detect source until it ends (true) or close() (false); throws when it fails. */
  private boolean readOnce(Runnable onOpen) throws IOException {
    try (StreamInput in = StreamInput.open(source.kind(), source.location(), source.toString());
         FrameDecoder dec = new FrameDecoder(in.codecParameters(), detectHeight, 1);
         MotionDetector det = new MotionDetector(settings)) {
      post(new Up(in.width(), in.height(), in.nominalFps()));
      onOpen.run();
      Timeline timeline = new Timeline(clock, source.live());
      AVRational tb = in.timeBase();
      long frameUs = Math.round(1_000_000 / (in.nominalFps() > 0 ? in.nominalFps() : 25));
      long intervalUs = Math.round(1_000_000 / detectFps);
      long[] state = {0, Long.MIN_VALUE, Long.MIN_VALUE, -1, 0}; // loopOffset, lastUs, nextAnalysis, paceNanos, paceUs
      AVPacket pkt = av_packet_alloc();
      try {
        while (running) {
          if (!in.read(pkt)) {
            if (source.live()) {
              throw new IOException("detect stream " + source + " ended");
            }
            if (!loop) {
              return true;
            }
            in.rewind();
            state[0] = state[1] + frameUs;
            continue;
          }
          try {
            long ts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
            long fallbackUs = ts == AV_NOPTS_VALUE ? (state[1] == Long.MIN_VALUE ? 0 : state[1] + frameUs)
                : state[0] + av_rescale_q(ts - in.startTime(), tb, MICROS);
            pace(fallbackUs, state);
            timeline.observe(fallbackUs);
            dec.decode(pkt, (framePts, d) -> {
              long tUs = framePts == AV_NOPTS_VALUE ? fallbackUs
                  : state[0] + av_rescale_q(framePts - in.startTime(), tb, MICROS);
              if (state[1] != Long.MIN_VALUE && tUs <= state[1]) {
                tUs = state[1] + 1;
              }
              state[1] = tUs;
              framesDecoded.inc();
              if (state[2] != Long.MIN_VALUE && tUs + frameUs / 2 < state[2]) {
                return;
              }
              state[2] = (state[2] == Long.MIN_VALUE || state[2] + intervalUs < tUs) ? tUs + intervalUs
                  : state[2] + intervalUs;
              MotionResult r = det.analyse(d.gray());
              framesAnalysed.inc();
              post(new Result(tUs, timeline.wall(tUs), r));
            });
          } finally {
            av_packet_unref(pkt);
          }
        }
        return false;
      } finally {
        av_packet_free(pkt);
      }
    }
  }

  /** Paces a detect file at its frame rate, as the main file is paced (tests, demos). */
  private void pace(long us, long[] state) {
    if (!realtime || source.live()) {
      return;
    }
    long now = System.nanoTime();
    if (state[3] < 0) {
      state[3] = now;
      state[4] = us;
      return;
    }
    long wait = state[3] + (us - state[4]) * 1000 - now;
    if (wait > 0) {
      sleep(wait / 1_000_000);
    }
  }

  private void post(Item item) {
    try {
      while (running && !items.offer(item, 200, TimeUnit.MILLISECONDS)) {
        // The camera loop is behind (or waiting on the main stream): hold the thread, keep order.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warning("detect stream " + source + " did not stop within 15 s");
    }
  }
}
