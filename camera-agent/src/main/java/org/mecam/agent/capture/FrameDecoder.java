package org.mecam.agent.capture;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes the source's video packets and hands out what the agent needs from a frame: a downscaled
 * grayscale image for motion analysis (scaled straight from the decoder's YUV, no full-size colour
 * conversion), and on request a full-size BGR image for a snapshot.
 */
public final class FrameDecoder implements AutoCloseable {

  /** Receives each decoded frame; {@code pts} is in the stream's time base. */
  @FunctionalInterface
  public interface FrameSink {
    void accept(long pts, FrameDecoder decoder) throws IOException;
  }

  private final AVCodecContext ctx;
  private final AVFrame frame;
  /** A reference to a frame that outlives decode() (the snapshot candidate); no pixel copy. */
  private final AVFrame kept;
  private final int analysisWidth;
  private final int analysisHeight;
  private final BytePointer grayBuf;
  private final Mat gray;
  private final PointerPointer<BytePointer> grayPlanes;
  private final IntPointer grayStride;
  private SwsContext graySws;
  private int grayScaler = SWS_AREA;
  private SwsContext bgrSws;

  public FrameDecoder(AVCodecParameters params, int analysisHeight, int threads) throws IOException {
    AVCodec codec = avcodec_find_decoder(params.codec_id());
    if (codec == null) {
      throw new IOException("no decoder for codec id " + params.codec_id());
    }
    ctx = avcodec_alloc_context3(codec);
    int ret = avcodec_parameters_to_context(ctx, params);
    if (ret < 0) {
      throw new IOException("cannot set up decoder: " + FfmpegErrors.describe(ret));
    }
    ctx.thread_count(threads);
    ret = avcodec_open2(ctx, codec, (AVDictionary) null);
    if (ret < 0) {
      throw new IOException("cannot open decoder " + codec.name().getString() + ": " + FfmpegErrors.describe(ret));
    }
    frame = av_frame_alloc();
    kept = av_frame_alloc();
    int h = Math.min(analysisHeight, params.height());
    this.analysisHeight = h - (h % 2);
    int w = (int) Math.round((double) params.width() * this.analysisHeight / params.height());
    this.analysisWidth = Math.max(2, w - (w % 2));
    grayBuf = new BytePointer((long) analysisWidth * this.analysisHeight);
    gray = new Mat(this.analysisHeight, analysisWidth, org.bytedeco.opencv.global.opencv_core.CV_8UC1, grayBuf);
    grayPlanes = new PointerPointer<>(1);
    grayPlanes.put(0, grayBuf);
    grayStride = new IntPointer(1);
    grayStride.put(0, analysisWidth);
  }

  /** Feeds one packet and passes every frame it completes to {@code sink}. */
  public void decode(AVPacket pkt, FrameSink sink) throws IOException {
    int ret = avcodec_send_packet(ctx, pkt);
    if (ret < 0 && ret != org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN()) {
      // A corrupt packet (lost data on a network stream): skip it, the next keyframe heals the picture.
      return;
    }
    while (true) {
      ret = avcodec_receive_frame(ctx, frame);
      if (ret == org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      if (ret < 0) {
        return;
      }
      try {
        long pts = frame.best_effort_timestamp();
        sink.accept(pts, this);
      } finally {
        av_frame_unref(frame);
      }
    }
  }

  /** The current frame scaled to the analysis size in grayscale; the Mat is reused for every frame. */
  public Mat gray() {
    graySws = sws_getCachedContext(graySws, frame.width(), frame.height(), frame.format(),
        analysisWidth, analysisHeight, AV_PIX_FMT_GRAY8, grayScaler, null, null, (DoublePointer) null);
    sws_scale(graySws, frame.data(), frame.linesize(), 0, frame.height(), grayPlanes, grayStride);
    return gray;
  }

  /** The current frame in full size as a new BGR image (the caller owns and closes it). */
  public Mat bgr() {
    return bgr(frame);
  }

  /** Keeps (a reference to) the current frame, so {@link #keptBgr()} works after decode() returned. */
  public void keep() {
    av_frame_unref(kept);
    av_frame_ref(kept, frame);
  }

  /** Forgets the kept frame. */
  public void dropKept() {
    av_frame_unref(kept);
  }

  /** The kept frame as a new BGR image, or null when none is kept. */
  public Mat keptBgr() {
    return kept.width() > 0 && kept.height() > 0 ? bgr(kept) : null;
  }

  private Mat bgr(AVFrame frame) {
    int w = frame.width();
    int h = frame.height();
    Mat out = new Mat(h, w, org.bytedeco.opencv.global.opencv_core.CV_8UC3);
    bgrSws = sws_getCachedContext(bgrSws, w, h, frame.format(), w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR,
        null, null, (DoublePointer) null);
    try (PointerPointer<BytePointer> planes = new PointerPointer<>(1); IntPointer stride = new IntPointer(1)) {
      planes.put(0, out.data());
      stride.put(0, (int) out.step());
      sws_scale(bgrSws, frame.data(), frame.linesize(), 0, h, planes, stride);
    }
    return out;
  }

  /** The codec context (to flush it before decoding from a new keyframe). */
  public AVCodecContext context() {
    return ctx;
  }

  /** Chooses the swscale algorithm for the analysis image (benchmarks compare them). */
  public void grayScaler(int swsFlags) {
    this.grayScaler = swsFlags;
  }

  public int analysisWidth() {
    return analysisWidth;
  }

  public int analysisHeight() {
    return analysisHeight;
  }

  @Override
  public void close() {
    av_frame_free(frame);
    av_frame_free(kept);
    avcodec_free_context(ctx);
    if (graySws != null) {
      sws_freeContext(graySws);
    }
    if (bgrSws != null) {
      sws_freeContext(bgrSws);
    }
    gray.close();
    grayBuf.close();
  }
}
