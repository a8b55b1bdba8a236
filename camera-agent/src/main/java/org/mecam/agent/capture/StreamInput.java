package org.mecam.agent.capture;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;
import org.mecam.agent.config.SourceSpec;

/**
 * Opens a source with FFmpeg's demuxer (through JavaCV's bundled FFmpeg) and reads encoded video
 * packets from it, without decoding: the packets feed both the pre-roll ring buffer (stream copy)
 * and the decoder used for motion detection.
 */
public final class StreamInput implements AutoCloseable {
  static {
    avformat_network_init();
    // FFmpeg's own chatter (stream dumps, encoder notes) would break the one-line log format.
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
  }

  /** FFmpeg's AVFMT_FLAG_CUSTOM_IO (the caller owns the I/O context; not exported by the preset). */
  private static final int AVFMT_FLAG_CUSTOM_IO = 0x0080;

  private final AVFormatContext fmt;
  private final int videoIndex;
  private final AVStream stream;
  private final String description;
  private ChildProcessInput child;

  private StreamInput(AVFormatContext fmt, int videoIndex, String description) {
    this.fmt = fmt;
    this.videoIndex = videoIndex;
    this.stream = fmt.streams(videoIndex);
    this.description = description;
  }

  /** Opens {@code location} (a file path or URL) as {@code kind}. */
  public static StreamInput open(SourceSpec.Kind kind, String location, String shownAs) throws IOException {
    return open(kind, location, shownAs, java.util.Map.of());
  }

  /** As {@link #open(SourceSpec.Kind, String, String)}, with extra FFmpeg input options (V4L2 mode). */
  public static StreamInput open(SourceSpec.Kind kind, String location, String shownAs,
      java.util.Map<String, String> options) throws IOException {
    if (kind == SourceSpec.Kind.EXEC) {
      return openChild(location, shownAs, options);
    }
    AVFormatContext fmt = new AVFormatContext(null);
    AVDictionary opts = new AVDictionary(null);
    AVInputFormat inputFormat = null;
    switch (kind) {
      case RTSP -> {
        // TCP: UDP loses packets on Wi-Fi, and a lost packet means a broken frame in the clip.
        av_dict_set(opts, "rtsp_transport", "tcp", 0);
        av_dict_set(opts, "timeout", "10000000", 0);
      }
      case HTTP -> av_dict_set(opts, "rw_timeout", "10000000", 0);
      case V4L2 -> {
        inputFormat = av_find_input_format("video4linux2");
        if (inputFormat == null) {
          throw new IOException("this FFmpeg build has no video4linux2 input");
        }
      }
      default -> { }
    }
    for (java.util.Map.Entry<String, String> e : options.entrySet()) {
      av_dict_set(opts, e.getKey(), e.getValue(), 0);
    }
    int ret = avformat_open_input(fmt, location, inputFormat, opts);
    av_dict_free(opts);
    if (ret < 0) {
      throw new IOException("cannot open " + shownAs + ": " + FfmpegErrors.describe(ret));
    }
    ret = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
    if (ret < 0) {
      avformat_close_input(fmt);
      throw new IOException("cannot read stream info of " + shownAs + ": " + FfmpegErrors.describe(ret));
    }
    int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    if (index < 0) {
      avformat_close_input(fmt);
      throw new IOException(shownAs + " has no video stream");
    }
    return new StreamInput(fmt, index, shownAs);
  }

  /**
   * Starts {@code command} and demuxes its standard output: probed (raw H.264 from rpicam-vid, or any
   * container such as MPEG-TS, which then brings its own timestamps); {@code options} may set the raw
   * stream's {@code framerate} (the H.264 demuxer's timestamps for a stream without them).
   */
  private static StreamInput openChild(String command, String shownAs, java.util.Map<String, String> options)
      throws IOException {
    // Natives loaded and context ready before the child starts, so its first frames are read as they come.
    AVFormatContext fmt = avformat_alloc_context();
    ChildProcessInput child = ChildProcessInput.start(SourceSpec.commandLine(command), shownAs);
    fmt.pb(child.avio());
    fmt.flags(fmt.flags() | AVFMT_FLAG_CUSTOM_IO);
    AVDictionary opts = new AVDictionary(null);
    // A live pipe: probe briefly. FFmpeg's defaults (5 MB / 5 s) held back the first seconds of a raw
    // H.264 stream and then delivered them in one burst, which breaks the wall-clock timeline.
    av_dict_set(opts, "probesize", "262144", 0);
    av_dict_set(opts, "analyzeduration", "500000", 0);
    for (java.util.Map.Entry<String, String> e : options.entrySet()) {
      av_dict_set(opts, e.getKey(), e.getValue(), 0);
    }
    // Probed, so a container (MPEG-TS, Matroska) works too; "framerate" reaches the raw H.264 demuxer.
    int ret = avformat_open_input(fmt, (String) null, (AVInputFormat) null, opts);
    av_dict_free(opts);
    if (ret < 0) {
      // avformat_open_input freed the context on failure.
      String why = child.exitDescription();
      child.close();
      throw new IOException("cannot open " + shownAs + ": " + FfmpegErrors.describe(ret) + " (" + why + ")");
    }
    ret = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
    int index = ret < 0 ? ret : av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    if (index < 0) {
      avformat_close_input(fmt);
      String why = child.exitDescription();
      child.close();
      throw new IOException(shownAs + " gave no video stream: " + FfmpegErrors.describe(index) + " (" + why + ")");
    }
    StreamInput in = new StreamInput(fmt, index, shownAs);
    in.child = child;
    return in;
  }

  /**
   * Reads the next video packet into {@code pkt} (other streams are skipped); false at the end of
   * the input. Throws when reading failed (a dropped stream).
   */
  public boolean read(AVPacket pkt) throws IOException {
    while (true) {
      int ret = av_read_frame(fmt, pkt);
      if (ret == org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF) {
        if (child != null) {
          throw new IOException(child.exitDescription());
        }
        return false;
      }
      if (ret < 0) {
        throw new IOException("reading " + description + " failed: " + FfmpegErrors.describe(ret));
      }
      if (pkt.stream_index() == videoIndex) {
        return true;
      }
      av_packet_unref(pkt);
    }
  }

  /** Goes back to the start (looping a file). */
  public void rewind() throws IOException {
    int ret = avformat_seek_file(fmt, videoIndex, Long.MIN_VALUE, 0, 0, 0);
    if (ret < 0) {
      throw new IOException("cannot rewind " + description + ": " + FfmpegErrors.describe(ret));
    }
  }

  public AVCodecParameters codecParameters() {
    return stream.codecpar();
  }

  public AVRational timeBase() {
    return stream.time_base();
  }

  /** The stream's first timestamp in its time base (0 when unknown). */
  public long startTime() {
    long s = stream.start_time();
    return s == AV_NOPTS_VALUE ? 0 : s;
  }

  public int width() {
    return stream.codecpar().width();
  }

  public int height() {
    return stream.codecpar().height();
  }

  /** The nominal frame rate, or 0 when the source does not say. */
  public double nominalFps() {
    AVRational r = stream.avg_frame_rate();
    if (r.den() == 0 || r.num() == 0) {
      r = stream.r_frame_rate();
    }
    return r.den() == 0 ? 0 : (double) r.num() / r.den();
  }

  public int codecId() {
    return stream.codecpar().codec_id();
  }

  @Override
  public void close() {
    avformat_close_input(fmt);
    if (child != null) {
      child.close();
    }
  }
}
