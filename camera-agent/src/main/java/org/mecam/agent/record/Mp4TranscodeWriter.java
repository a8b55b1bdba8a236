package org.mecam.agent.record;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.mecam.agent.capture.FfmpegErrors;

/**
 * Writes a clip from a source that is not H.264 (MJPEG webcams, raw video, HEVC): decodes its packets
 * and re-encodes them as H.264 (the bundled OpenH264 encoder) into an MP4 with {@code +faststart}, so
 * every clip plays in a browser. Costs CPU while recording, unlike {@link Mp4CopyWriter}.
 */
public final class Mp4TranscodeWriter implements ClipWriter {
  private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);
  /** Encoders tried in order: OpenH264 ships in JavaCV's FFmpeg; the V4L2 one is the Pi's hardware. */
  private static final String[] ENCODERS = {"libopenh264", "h264_v4l2m2m", "libx264"};

  private final String path;
  private final AVCodecContext dec;
  private final AVCodecContext enc;
  private final AVFormatContext out;
  private final AVStream stream;
  private final AVFrame decoded;
  private final AVFrame yuv;
  private final AVPacket encoded;
  private final long frameUs;
  private SwsContext sws;
  private long baseUs = -1;
  private long firstUs = -1;
  private long lastUs = -1;
  private long lastEncPts = Long.MIN_VALUE;
  private boolean closed;

  public Mp4TranscodeWriter(Path file, AVCodecParameters source, double fps) throws IOException {
    this.path = file.toString();
    this.frameUs = Math.round(1_000_000 / (fps > 0 ? fps : 25));
    AVCodec decoder = avcodec_find_decoder(source.codec_id());
    if (decoder == null) {
      throw new IOException("no decoder for the source codec (id " + source.codec_id() + ")");
    }
    dec = avcodec_alloc_context3(decoder);
    avcodec_parameters_to_context(dec, source);
    dec.pkt_timebase(MICROS);
    dec.thread_count(1);
    check(avcodec_open2(dec, decoder, (AVDictionary) null), "open decoder");
    AVCodec encoder = null;
    for (String name : ENCODERS) {
      encoder = avcodec_find_encoder_by_name(name);
      if (encoder != null) {
        break;
      }
    }
    if (encoder == null) {
      throw new IOException("no H.264 encoder in this FFmpeg build");
    }
    enc = avcodec_alloc_context3(encoder);
    int w = source.width();
    int h = source.height();
    enc.width(w - (w % 2));
    enc.height(h - (h % 2));
    enc.pix_fmt(AV_PIX_FMT_YUV420P);
    enc.time_base(new AVRational().num(1).den(90_000));
    enc.framerate(new AVRational().num((int) Math.round(fps > 0 ? fps : 25)).den(1));
    enc.gop_size((int) Math.round(2 * (fps > 0 ? fps : 25)));
    enc.max_b_frames(0);
    enc.bit_rate(Math.max(500_000L, (long) enc.width() * enc.height() * 3));
    enc.thread_count(1);
    enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    check(avcodec_open2(enc, encoder, (AVDictionary) null), "open H.264 encoder " + encoder.name().getString());

    out = new AVFormatContext(null);
    check(avformat_alloc_output_context2(out, (AVOutputFormat) null, "mp4", path), "create MP4 muxer");
    stream = avformat_new_stream(out, null);
    check(avcodec_parameters_from_context(stream.codecpar(), enc), "set stream parameters");
    stream.time_base(enc.time_base());
    AVIOContext pb = new AVIOContext(null);
    check(avio_open(pb, path, AVIO_FLAG_WRITE), "open " + path);
    out.pb(pb);
    AVDictionary opts = new AVDictionary(null);
    av_dict_set(opts, "movflags", "+faststart", 0);
    int ret = avformat_write_header(out, opts);
    av_dict_free(opts);
    check(ret, "write MP4 header");

    decoded = av_frame_alloc();
    yuv = av_frame_alloc();
    yuv.format(AV_PIX_FMT_YUV420P);
    yuv.width(enc.width());
    yuv.height(enc.height());
    check(av_frame_get_buffer(yuv, 0), "allocate frame");
    encoded = av_packet_alloc();
  }

  @Override
  public void write(BufferedPacket p) throws IOException {
    AVPacket pkt = av_packet_clone(p.packet());
    try {
      pkt.pts(p.ptsUs());
      pkt.dts(p.dtsUs());
      pkt.duration(p.durationUs());
      if (avcodec_send_packet(dec, pkt) < 0) {
        return; // a corrupt packet: skip it
      }
    } finally {
      av_packet_free(pkt);
    }
    drainDecoder();
  }

  private void drainDecoder() throws IOException {
    while (avcodec_receive_frame(dec, decoded) == 0) {
      try {
        long us = decoded.best_effort_timestamp();
        if (us == AV_NOPTS_VALUE) {
          us = lastUs < 0 ? 0 : lastUs + frameUs;
        }
        encode(us);
      } finally {
        av_frame_unref(decoded);
      }
    }
  }

  private void encode(long us) throws IOException {
    if (baseUs < 0) {
      baseUs = us;
      firstUs = us;
    }
    long pts = av_rescale_q(us - baseUs, MICROS, enc.time_base());
    if (pts <= lastEncPts) {
      return;
    }
    lastEncPts = pts;
    lastUs = us;
    check(av_frame_make_writable(yuv), "frame writable");
    sws = sws_getCachedContext(sws, decoded.width(), decoded.height(), decoded.format(), yuv.width(), yuv.height(),
        AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
    sws_scale(sws, decoded.data(), decoded.linesize(), 0, decoded.height(), yuv.data(), yuv.linesize());
    yuv.pts(pts);
    check(avcodec_send_frame(enc, yuv), "encode frame");
    drainEncoder();
  }

  private void drainEncoder() throws IOException {
    while (avcodec_receive_packet(enc, encoded) == 0) {
      av_packet_rescale_ts(encoded, enc.time_base(), stream.time_base());
      encoded.stream_index(stream.index());
      check(av_interleaved_write_frame(out, encoded), "write " + path);
    }
  }

  @Override
  public long firstUs() {
    return firstUs;
  }

  @Override
  public long endUs() {
    return lastUs < 0 ? -1 : lastUs + frameUs;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      avcodec_send_packet(dec, null);
      drainDecoder();
      avcodec_send_frame(enc, null);
      drainEncoder();
      int ret = av_write_trailer(out);
      if (ret < 0 && ret != AVERROR_EOF) {
        throw new IOException("finishing " + path + " failed: " + FfmpegErrors.describe(ret));
      }
    } finally {
      avio_closep(out.pb());
      avformat_free_context(out);
      avcodec_free_context(dec);
      avcodec_free_context(enc);
      av_frame_free(decoded);
      av_frame_free(yuv);
      av_packet_free(encoded);
      if (sws != null) {
        sws_freeContext(sws);
      }
    }
  }

  private static void check(int ret, String what) throws IOException {
    if (ret < 0) {
      throw new IOException("cannot " + what + ": " + FfmpegErrors.describe(ret));
    }
  }
}
