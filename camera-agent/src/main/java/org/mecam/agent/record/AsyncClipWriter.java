package org.mecam.agent.record;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a costly clip writer (re-encoding) on a thread of its own, so the capture loop never waits
 * for the encoder: packets are handed over as their own reference-counted copies and written in order.
 */
public final class AsyncClipWriter implements ClipWriter {
  private final ClipWriter target;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile IOException failure;
  private volatile long firstUs = -1;
  private volatile long endUs = -1;

  public AsyncClipWriter(ClipWriter target, String name) {
    this.target = target;
    this.thread = new Thread(this::drain, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void drain() {
    try {
      while (true) {
        Object o = queue.take();
        if (o == Boolean.FALSE) {
          return;
        }
        try (BufferedPacket p = (BufferedPacket) o) {
          if (failure == null) {
            target.write(p);
          }
        } catch (IOException e) {
          failure = e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void write(BufferedPacket p) throws IOException {
    if (failure != null) {
      throw failure;
    }
    queue.add(new BufferedPacket(p.packet(), p.ptsUs(), p.dtsUs(), p.durationUs(), p.key()));
    // The span of the packets handed in, known at once on the caller's thread (the encoder keeps
    // every frame, so the clip covers the same span).
    if (firstUs < 0) {
      firstUs = p.ptsUs();
    }
    endUs = Math.max(endUs, p.ptsUs() + p.durationUs());
  }

  @Override
  public long firstUs() {
    return firstUs;
  }

  @Override
  public long endUs() {
    return endUs;
  }

  /** Waits until every queued packet is written, then finishes the file. */
  @Override
  public void close() throws IOException {
    queue.add(Boolean.FALSE);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while finishing the clip");
    }
    for (Object o : queue) {
      if (o instanceof BufferedPacket p) {
        p.close();
      }
    }
    target.close();
    if (failure != null) {
      throw failure;
    }
  }
}
