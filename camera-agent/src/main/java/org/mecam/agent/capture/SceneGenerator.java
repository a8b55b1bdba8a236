package org.mecam.agent.capture;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Generates small H.264 MP4 scenes with known content (JavaCV's FFmpegFrameRecorder and the bundled
 * OpenH264 encoder): a textured static background with a moving box, a global light change, sensor
 * noise. They serve as the {@code test:moving-box} source, as test fixtures and as benchmark input.
 */
public final class SceneGenerator {

  /** What happens in the scene. */
  public enum Kind {
    /** A box crosses the frame between {@code motionFrom} and {@code motionTo}; static otherwise. */
    MOVING_BOX,
    /** No motion; a lamp brightens the frame unevenly at {@code motionFrom}, then it dims slowly from {@code motionTo}. */
    LIGHT_CHANGE,
    /** No motion; every frame carries fresh random sensor noise. */
    NOISE,
    /** Like MOVING_BOX, over sensor noise as a real camera delivers it (costlier to decode). */
    NOISY_MOVING_BOX,
    /**
     * Like MOVING_BOX with a green box that is twice as large (four times the area) from 0.4 s to 0.6 s
     * after {@code motionFrom}: the strongest motion is neither the first nor the last of the first second.
     */
    PULSING_BOX,
    /** Nothing happens. */
    STATIC
  }

  /**
   * A scene: size, rate, length, the motion window in seconds, and the region the box moves in
   * (fractions x0,y0,x1,y1 of the frame).
   */
  public record Spec(Kind kind, int width, int height, double fps, double seconds, double motionFrom,
      double motionTo, double[] region, int gopFrames) {

    public static Spec movingBox(int width, int height, double fps, double seconds, double from, double to) {
      return new Spec(Kind.MOVING_BOX, width, height, fps, seconds, from, to, new double[] {0, 0.25, 1, 0.75},
          (int) Math.round(fps));
    }

    public Spec withKind(Kind k) {
      return new Spec(k, width, height, fps, seconds, motionFrom, motionTo, region, gopFrames);
    }

    public Spec withRegion(double x0, double y0, double x1, double y1) {
      return new Spec(kind, width, height, fps, seconds, motionFrom, motionTo, new double[] {x0, y0, x1, y1},
          gopFrames);
    }
  }

  /** The scene behind {@code test:moving-box}: 10 s, 640×360 at 15 fps, the box moving from 1 s to 4 s. */
  public static Spec testSource() {
    return Spec.movingBox(640, 360, 15, 10, 1.0, 4.0);
  }

  static {
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
  }

  private SceneGenerator() {}

  /** Writes the scene as H.264 in MP4 to {@code file} (atomically: a partly written file is never left behind). */
  public static void generate(Spec spec, Path file) throws IOException {
    generate(spec, file, "libopenh264", "mp4");
  }

  /**
   * Writes the scene with another codec and container, e.g. {@code mjpeg} in {@code avi} as a cheap USB
   * webcam delivers it.
   */
  public static void generate(Spec spec, Path file, String codec, String format) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp." + format);
    Files.createDirectories(file.toAbsolutePath().getParent());
    int w = spec.width();
    int h = spec.height();
    byte[] background = background(w, h);
    byte[] pixels = new byte[w * h * 3];
    Random noise = new Random(42);
    // A few frames of Gaussian noise (sigma 6), reused at random offsets: fresh noise per pixel and
    // frame would make generating large scenes slow without changing what the encoder sees.
    byte[][] noiseFrames = null;
    if (spec.kind() == Kind.NOISY_MOVING_BOX) {
      noiseFrames = new byte[4][w * h * 3];
      for (byte[] f : noiseFrames) {
        for (int i = 0; i < f.length; i++) {
          f[i] = (byte) Math.max(-127, Math.min(127, Math.round(noise.nextGaussian() * 6)));
        }
      }
    }
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(tmp.toFile(), w, h, 0)) {
      rec.setFormat(format);
      rec.setVideoCodecName(codec);
      rec.setPixelFormat(codec.equals("mjpeg") ? org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P
          : AV_PIX_FMT_YUV420P);
      rec.setFrameRate(spec.fps());
      rec.setGopSize(spec.gopFrames());
      rec.setVideoBitrate(Math.max(400_000, w * h * 4));
      if (format.equals("mp4")) {
        rec.setOption("movflags", "+faststart");
      }
      rec.start();
      Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
      int frames = (int) Math.round(spec.seconds() * spec.fps());
      for (int i = 0; i < frames; i++) {
        double t = i / spec.fps();
        render(spec, t, background, pixels, noise);
        if (noiseFrames != null) {
          byte[] nf = noiseFrames[i % noiseFrames.length];
          int off = noise.nextInt(w * 3);
          for (int p = 0; p < pixels.length; p++) {
            int v = (pixels[p] & 0xff) + nf[(p + off) % nf.length];
            pixels[p] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
          }
        }
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < h; y++) {
          buf.position(y * stride);
          buf.put(pixels, y * w * 3, w * 3);
        }
        buf.rewind();
        frame.timestamp = Math.round(t * 1_000_000);
        rec.record(frame, AV_PIX_FMT_BGR24);
      }
      rec.stop();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("cannot generate scene " + spec.kind() + ": " + e.getMessage(), e);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void render(Spec s, double t, byte[] bg, byte[] out, Random noise) {
    int w = s.width();
    int h = s.height();
    boolean lit = s.kind() == Kind.LIGHT_CHANGE && t >= s.motionFrom();
    // Lamp on at motionFrom: brighter everywhere, more so on the right (a lamp is never uniform);
    // from motionTo a slow dusk dims the picture by 3% per second.
    double dusk = s.kind() == Kind.LIGHT_CHANGE && t >= s.motionTo() ? Math.max(0.5, 1 - 0.03 * (t - s.motionTo())) : 1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double gain = (lit ? 1.25 + 0.5 * x / w : 1) * dusk;
        for (int c = 0; c < 3; c++) {
          int i = (y * w + x) * 3 + c;
          double v = (bg[i] & 0xff) * gain;
          if (s.kind() == Kind.NOISE) {
            v += noise.nextGaussian() * 6;
          }
          out[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
      }
    }
    if (s.kind() == Kind.MOVING_BOX || s.kind() == Kind.NOISY_MOVING_BOX || s.kind() == Kind.PULSING_BOX) {
      double p;
      if (t < s.motionFrom()) {
        p = 0;
      } else if (t > s.motionTo()) {
        p = 1;
      } else {
        p = (t - s.motionFrom()) / (s.motionTo() - s.motionFrom());
      }
      double[] r = s.region();
      int rx0 = (int) (r[0] * w);
      int ry0 = (int) (r[1] * h);
      int rx1 = (int) (r[2] * w);
      int ry1 = (int) (r[3] * h);
      int bw = Math.max(8, (rx1 - rx0) / 6);
      int bh = Math.max(8, (ry1 - ry0) / 2);
      int bx = rx0 + (int) Math.round(p * (rx1 - rx0 - bw));
      int by = ry0 + ((ry1 - ry0) - bh) / 2;
      boolean pulsing = s.kind() == Kind.PULSING_BOX;
      if (pulsing && t >= s.motionFrom() + 0.4 && t < s.motionFrom() + 0.6) {
        bx -= bw / 2;
        by -= bh / 2;
        bw *= 2;
        bh *= 2;
      }
      for (int y = Math.max(0, by); y < by + bh && y < h; y++) {
        for (int x = Math.max(0, bx); x < bx + bw && x < w; x++) {
          int o = (y * w + x) * 3;
          out[o] = (byte) (pulsing ? 0 : 30);
          out[o + 1] = (byte) (pulsing ? 255 : 40);
          out[o + 2] = (byte) (pulsing ? 0 : 230);
        }
      }
    }
  }

  /** A textured, mid-grey background: flat images would let the encoder hide everything. */
  private static byte[] background(int w, int h) {
    byte[] bg = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 90 + 25 * Math.sin(x / 23.0) + 20 * Math.cos(y / 17.0) + 10 * Math.sin((x + y) / 7.0);
        if ((x / (w / 8)) % 3 == 0 && (y / (h / 6)) % 2 == 0) {
          v += 30;
        }
        int o = (y * w + x) * 3;
        bg[o] = (byte) Math.max(0, Math.min(255, v));
        bg[o + 1] = (byte) Math.max(0, Math.min(255, v + 8));
        bg[o + 2] = (byte) Math.max(0, Math.min(255, v - 6));
      }
    }
    return bg;
  }
}
