package org.mecam.agent.record;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;

import java.io.IOException;
import java.nio.file.Path;
import org.mecam.agent.capture.StreamInput;

/** Chooses how a clip is written: stream copy for H.264 sources, re-encoding to H.264 for the rest. */
public final class ClipWriters {
  private ClipWriters() {}

  public static ClipWriter open(Path file, StreamInput in) throws IOException {
    if (in.codecId() == AV_CODEC_ID_H264) {
      return new Mp4CopyWriter(file, in.codecParameters(), in.timeBase());
    }
    return new AsyncClipWriter(new Mp4TranscodeWriter(file, in.codecParameters(), in.nominalFps()),
        "clip-encoder");
  }

  /** True when clips of this source are re-encoded (CPU cost while recording). */
  public static boolean transcodes(StreamInput in) {
    return in.codecId() != AV_CODEC_ID_H264;
  }
}
