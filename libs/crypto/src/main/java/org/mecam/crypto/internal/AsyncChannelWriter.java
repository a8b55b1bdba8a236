package org.mecam.crypto.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes to a channel on its own thread, so that sealing the next segments overlaps the write
 * system call (and the JDK's copy into its direct buffer) of the previous ones: the file-to-file
 * encryptor's second core. Arrays are handed over, not copied ({@link #handOff}); a fixed pool of
 * them bounds memory, and an I/O error on the writer thread is rethrown to the producer.
 */
public final class AsyncChannelWriter extends OutputStream {
  private static final int POOL = 3;

  private record Job(byte[] data, int length) {}

  private static final Job END = new Job(new byte[0], 0);

  private final WritableByteChannel channel;
  private final int arraySize;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(POOL);
  private final BlockingQueue<Job> full = new ArrayBlockingQueue<>(POOL + 1);
  private final Thread thread;
  private volatile IOException failure;
  private boolean closed;

  /** Starts the writer thread with {@code POOL - 1} free arrays of {@code arraySize} bytes. */
  public AsyncChannelWriter(WritableByteChannel channel, int arraySize) {
    this.channel = channel;
    this.arraySize = arraySize;
    for (int i = 0; i < POOL - 1; i++) {
      free.add(new byte[arraySize]);
    }
    this.thread = new Thread(this::run, "mecam-encrypt-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (true) {
        Job j = full.take();
        if (j == END) {
          return;
        }
        if (failure == null) {
          try {
            ByteBuffer b = ByteBuffer.wrap(j.data, 0, j.length);
            while (b.hasRemaining()) {
              channel.write(b);
            }
          } catch (IOException e) {
            failure = e;
          } catch (RuntimeException e) {
            failure = new IOException(e);
          }
        }
        if (j.data.length == arraySize) {
          free.put(j.data); // copies of small writes are dropped, pool arrays go back
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void check() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException("write failed: " + f.getMessage(), f);
    }
  }

  /**
   * Queues {@code data[0, length)} for writing and returns an array of the same size to fill next
   * (the caller must not touch {@code data} again); blocks while the writer is behind.
   */
  public byte[] handOff(byte[] data, int length) throws IOException {
    check();
    try {
      full.put(new Job(data, length));
      byte[] next = free.take();
      check();
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  /** Small writes (the header) are copied and queued. */
  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check();
    byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
    try {
      full.put(new Job(copy, len));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** Rethrows a write error seen so far; {@link #close()} is what waits for the writes. */
  @Override
  public void flush() throws IOException {
    check();
  }

  /** Writes what is queued, stops the thread (the channel stays open) and rethrows a failure. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      full.put(END);
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
    check();
  }
}
