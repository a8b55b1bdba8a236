package org.mecam.agent.record;

import java.io.IOException;
import java.nio.file.Path;
import org.mecam.agent.capture.StreamInput;

/** Chooses how a clip is written: stream copy for H.264 sources. */
public final class ClipWriters {
  private ClipWriters() {}

  public static ClipWriter open(Path file, StreamInput in) throws IOException {
    return new Mp4CopyWriter(file, in.codecParameters(), in.timeBase());
  }
}
