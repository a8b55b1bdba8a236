package org.mecam.agent.capture;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.javacpp.BytePointer;

/** Turns FFmpeg's negative error codes into the readable text FFmpeg itself would print. */
public final class FfmpegErrors {
  private FfmpegErrors() {}

  public static String describe(int code) {
    try (BytePointer buf = new BytePointer(256)) {
      if (av_strerror(code, buf, 256) == 0) {
        return buf.getString() + " (" + code + ")";
      }
    }
    return "error " + code;
  }
}
