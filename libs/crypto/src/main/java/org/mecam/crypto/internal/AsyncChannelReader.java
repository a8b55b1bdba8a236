package org.mecam.crypto.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a channel ahead on its own thread into a small pool of arrays, so the read system calls
 * (and the JDK's copy out of its direct buffer) overlap the sealing of the previous chunk: the
 * file-to-file encryptor's read side. Arrays are handed over, not copied; an I/O error on the
 * reader thread is rethrown by {@link #next()}.
 */
public final class AsyncChannelReader implements AutoCloseable {
  private static final int POOL = 3;

  /** A filled array: {@code length} bytes, or -1 at the end of the channel. */
  public record Chunk(byte[] data, int length) {}

  private final ReadableByteChannel channel;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(POOL);
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(POOL + 1);
  private final Thread thread;
  private volatile IOException failure;
  private volatile boolean stopped;

  public AsyncChannelReader(ReadableByteChannel channel, int chunkSize) {
    this.channel = channel;
    for (int i = 0; i < POOL; i++) {
      free.add(new byte[chunkSize]);
    }
    this.thread = new Thread(this::run, "mecam-encrypt-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopped) {
        byte[] a = free.take();
        ByteBuffer b = ByteBuffer.wrap(a);
        int n = 0;
        try {
          while (b.hasRemaining() && (n = channel.read(b)) >= 0) {
            // fill the whole array unless the channel ends
          }
        } catch (IOException e) {
          failure = e;
        } catch (RuntimeException e) {
          failure = new IOException(e);
        }
        if (failure != null) {
          full.put(new Chunk(a, -1));
          return;
        }
        int len = b.position();
        if (len > 0) {
          full.put(new Chunk(a, len));
        }
        if (n < 0) {
          full.put(new Chunk(null, -1));
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next chunk in file order (length -1 at the end); give its array back with {@link #release}. */
  public Chunk next() throws IOException {
    try {
      Chunk c = full.take();
      if (failure != null) {
        throw new IOException("read failed: " + failure.getMessage(), failure);
      }
      if (c.length() < 0) {
        full.put(c); // stays at the end
      }
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    }
  }

  public void release(byte[] data) {
    free.offer(data);
  }

  /** Stops the reader thread (the channel stays open for its owner to close). */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
