package org.mecam.agent.record;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.mecam.agent.capture.FfmpegErrors;

/**
 * Writes H.264 packets into an MP4 by stream copy (no re-encoding: the Pi's CPU goes to decoding and
 * detection), with the index moved to the front ({@code +faststart}) so browsers start playing at once.
 * Timestamps are rebased so the clip starts at zero.
 */
public final class Mp4CopyWriter implements ClipWriter {
  private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

  private final AVFormatContext out;
  private final AVStream stream;
  private final String path;
  private long baseUs = -1;
  private long firstUs = -1;
  private long endUs = -1;
  private long lastDts = Long.MIN_VALUE;
  private boolean closed;

  public Mp4CopyWriter(Path file, AVCodecParameters source, AVRational sourceTimeBase) throws IOException {
    this.path = file.toString();
    out = new AVFormatContext(null);
    int ret = avformat_alloc_output_context2(out, (AVOutputFormat) null, "mp4", path);
    if (ret < 0) {
      throw new IOException("cannot create MP4 muxer: " + FfmpegErrors.describe(ret));
    }
    stream = avformat_new_stream(out, null);
    ret = avcodec_parameters_copy(stream.codecpar(), source);
    if (ret < 0) {
      avformat_free_context(out);
      throw new IOException("cannot copy stream parameters: " + FfmpegErrors.describe(ret));
    }
    // Let the muxer pick the tag: a source's tag (e.g. from Matroska) may be invalid in MP4.
    stream.codecpar().codec_tag(0);
    stream.time_base(sourceTimeBase);
    AVIOContext pb = new AVIOContext(null);
    ret = avio_open(pb, path, AVIO_FLAG_WRITE);
    if (ret < 0) {
      avformat_free_context(out);
      throw new IOException("cannot open " + path + ": " + FfmpegErrors.describe(ret));
    }
    out.pb(pb);
    AVDictionary opts = new AVDictionary(null);
    av_dict_set(opts, "movflags", "+faststart", 0);
    ret = avformat_write_header(out, opts);
    av_dict_free(opts);
    if (ret < 0) {
      abort();
      throw new IOException("cannot write MP4 header: " + FfmpegErrors.describe(ret));
    }
  }

  @Override
  public void write(BufferedPacket p) throws IOException {
    if (baseUs < 0) {
      baseUs = p.dtsUs();
      firstUs = p.ptsUs();
    }
    AVPacket pkt = av_packet_clone(p.packet());
    try {
      long dts = av_rescale_q(p.dtsUs() - baseUs, MICROS, stream.time_base());
      if (dts <= lastDts) {
        dts = lastDts + 1;
      }
      long pts = Math.max(dts, av_rescale_q(p.ptsUs() - baseUs, MICROS, stream.time_base()));
      lastDts = dts;
      pkt.stream_index(stream.index());
      pkt.dts(dts);
      pkt.pts(pts);
      pkt.duration(av_rescale_q(p.durationUs(), MICROS, stream.time_base()));
      pkt.pos(-1);
      int ret = av_interleaved_write_frame(out, pkt);
      if (ret < 0) {
        throw new IOException("writing " + path + " failed: " + FfmpegErrors.describe(ret));
      }
      endUs = Math.max(endUs, p.ptsUs() + p.durationUs());
    } finally {
      av_packet_free(pkt);
    }
  }

  @Override
  public long firstUs() {
    return firstUs;
  }

  @Override
  public long endUs() {
    return endUs;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    int ret = av_write_trailer(out);
    avio_closep(out.pb());
    avformat_free_context(out);
    if (ret < 0) {
      throw new IOException("finishing " + path + " failed: " + FfmpegErrors.describe(ret));
    }
  }

  private void abort() {
    closed = true;
    avio_closep(out.pb());
    avformat_free_context(out);
  }
}
