package org.mecam.agent.record;

import java.io.IOException;

/** Writes one clip file from the source's encoded packets; {@link #close()} finishes the file. */
public interface ClipWriter extends AutoCloseable {

  /** Appends a packet (in decoding order); the writer does not take ownership of it. */
  void write(BufferedPacket packet) throws IOException;

  /** Timeline time of the first packet written, or -1 before any. */
  long firstUs();

  /** Timeline end (time + duration) of the last packet written, or -1 before any. */
  long endUs();

  /** Finishes the file (trailer, faststart); the file is complete when this returns. */
  @Override
  void close() throws IOException;
}
