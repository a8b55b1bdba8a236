package org.mecam.agent.detect;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.contourArea;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;
import org.mecam.agent.config.Polygon;
import org.mecam.events.Box;

/**
 * Finds motion in downscaled grayscale frames: blur, compare with a background model (running
 * average, or MOG2), threshold, dilate, contours. A frame-wide change (lights, clouds, IR switch)
 * is recognised as a light change: the background is re-learned and no motion is reported; the
 * running-average model also cancels uniform brightness shifts before comparing.
 */
public final class MotionDetector implements AutoCloseable {
  /**
   * Time constant of the running average: a change that stays (a parked car, a moved chair) is part of
   * the background after about two of these, so it stops counting as motion within a few seconds.
   */
  private static final double BACKGROUND_SECONDS = 1.5;
  /** Share of the watched area that moves for a score of 1. */
  private static final double FULL_SCORE_AREA = 0.25;

  /** Tunables of the detector. */
  public record Settings(int sensitivity, double minArea, double lightChange, List<Polygon> zones,
      List<Polygon> masks, boolean mog2, double analysisFps) {

    /** Per-frame weight of the newest frame in the running average. */
    public double learningRate() {
      return 1 - Math.exp(-1 / (analysisFps * BACKGROUND_SECONDS));
    }

    /** Brightness difference (0..255) counted as change: sensitivity 100 → 6, 60 → 26, 1 → 55. */
    public int threshold() {
      return (int) Math.round(6 + (100 - sensitivity) * 0.5);
    }
  }

  private final Settings settings;
  private final Mat blurred = new Mat();
  private final Mat current = new Mat();
  private final Mat background = new Mat();
  private final Mat background8 = new Mat();
  private final Mat diff = new Mat();
  private final Mat raw = new Mat();
  private final Mat binary = new Mat();
  private final Mat dilated = new Mat();
  private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
  private BackgroundSubtractorMOG2 mog2;
  private Mat watched;
  private BytePointer watchedData;
  private int watchedPixels;
  private boolean hasBackground;
  private int width;
  private int height;

  public MotionDetector(Settings settings) {
    this.settings = settings;
  }

  /** Starts over: the next frame becomes the background (after a pause in the frames it analyses). */
  public void forgetBackground() {
    hasBackground = false;
  }

  /** Analyses one grayscale frame (any size; the first frame fixes it) and updates the background. */
  public MotionResult analyse(Mat gray) {
    if (watched == null || gray.cols() != width || gray.rows() != height) {
      setUp(gray.cols(), gray.rows());
    }
    int k = Math.max(3, (height / 60) | 1);
    GaussianBlur(gray, blurred, new Size(k, k), 0);
    if (!hasBackground) {
      blurred.convertTo(background, CV_32F);
      if (mog2 != null) {
        mog2.apply(blurred, binary, 1.0);
      }
      hasBackground = true;
      return MotionResult.NONE;
    }
    // A light change (lamp, clouds, IR switch) alters most of the frame at once, if unevenly: judge it
    // on the raw difference, before any compensation, and re-learn the background instead of reporting.
    background.convertTo(background8, CV_8U);
    absdiff(blurred, background8, raw);
    threshold(raw, binary, settings.threshold(), 255, THRESH_BINARY);
    if (watchedData != null) {
      bitwise_and(binary, watched, binary);
    }
    double changed = (double) countNonZero(binary) / watchedPixels;
    if (changed > settings.lightChange()) {
      relearn();
      return new MotionResult(false, 0, changed, List.of(), true);
    }
    if (mog2 != null) {
      // MOG2 marks foreground 255 (no shadows: detectShadows=false).
      mog2.apply(blurred, binary, -1);
    } else {
      // Cancel a uniform brightness shift before comparing, so slight dimming or brightening is not motion.
      double shift = mean(background).get(0) - mean(blurred).get(0);
      blurred.convertTo(current, CV_32F, 1.0, shift);
      absdiff(current, background, diff);
      diff.convertTo(raw, CV_8U);
      threshold(raw, binary, settings.threshold(), 255, THRESH_BINARY);
    }
    if (watchedData != null) {
      bitwise_and(binary, watched, binary);
    }
    // The running average is kept in MOG2 mode too: the light-change check compares against it.
    accumulateWeighted(blurred, background, settings.learningRate());
    dilate(binary, dilated, kernel, new Point(-1, -1), 2, 0, new Scalar(0.0));
    List<Box> boxes = new ArrayList<>();
    double movingArea = 0;
    double minPixels = settings.minArea() * width * height;
    try (MatVector contours = new MatVector()) {
      findContours(dilated, contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
      for (long i = 0; i < contours.size(); i++) {
        Mat c = contours.get(i);
        double area = Math.max(contourArea(c), 1);
        Rect r = boundingRect(c);
        if (area >= minPixels) {
          movingArea += area;
          if (boxes.size() < 32) {
            boxes.add(box(r));
          }
        }
        r.close();
      }
    }
    boolean motion = !boxes.isEmpty();
    double score = motion ? Math.min(1.0, movingArea / watchedPixels / FULL_SCORE_AREA) : 0;
    if (motion && score < 0.01) {
      score = 0.01;
    }
    return new MotionResult(motion, score, changed, boxes, false);
  }

  private Box box(Rect r) {
    double x = (double) r.x() / width;
    double y = (double) r.y() / height;
    double w = Math.min((double) r.width() / width, 1 - x);
    double h = Math.min((double) r.height() / height, 1 - y);
    return new Box(round(x), round(y), round(w), round(h));
  }

  private static double round(double v) {
    return Math.floor(v * 10_000) / 10_000;
  }

  private void relearn() {
    blurred.convertTo(background, CV_32F);
    if (mog2 != null) {
      mog2.apply(blurred, binary, 1.0);
    }
  }

  private void setUp(int w, int h) {
    width = w;
    height = h;
    hasBackground = false;
    byte[] raster = ZoneMask.rasterise(w, h, settings.zones(), settings.masks());
    if (watched != null) {
      watched.close();
    }
    watched = new Mat(h, w, CV_8UC1);
    watchedData = null;
    watchedPixels = w * h;
    if (raster != null) {
      watchedData = watched.data();
      watchedData.put(raster);
      watchedPixels = 0;
      for (byte b : raster) {
        if (b != 0) {
          watchedPixels++;
        }
      }
      watchedPixels = Math.max(1, watchedPixels);
    }
    if (settings.mog2()) {
      // varThreshold is a squared distance: map the brightness threshold onto it.
      double t = settings.threshold();
      mog2 = createBackgroundSubtractorMOG2((int) Math.max(10, 2 * BACKGROUND_SECONDS * settings.analysisFps()),
          Math.max(4, t * t / 4), false);
    }
  }

  @Override
  public void close() {
    for (Mat m : new Mat[] {blurred, current, background, background8, diff, raw, binary, dilated, kernel}) {
      m.close();
    }
    if (watched != null) {
      watched.close();
    }
    if (mog2 != null) {
      mog2.close();
    }
  }
}
