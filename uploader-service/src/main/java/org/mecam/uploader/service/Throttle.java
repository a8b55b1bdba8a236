package org.mecam.uploader.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.LongConsumer;

/**
 * A token bucket shared by all uploads: at most {@code rate} bytes per second in total, with a burst of
 * a tenth of a second; the rate changes live. Callers that take more than is in the bucket go into
 * debt and sleep it off, which keeps the long-run average exact whatever the read sizes.
 */
@ApplicationScoped
public class Throttle {
  private double bytesPerSecond;
  private double tokens;
  private long last = System.nanoTime();

  @Inject
  public Throttle(RuntimeSettings settings) {
    setMbps(settings.bandwidthMbps());
    settings.onChange(s -> setMbps(s.bandwidthMbps()));
  }

  /** A throttle on its own (benchmarks and tests). */
  public Throttle(double mbps) {
    setMbps(mbps);
  }

  /** Sets the limit in Mbit/s (10^6 bits); 0 means unlimited. */
  public synchronized void setMbps(double mbps) {
    refill();
    bytesPerSecond = mbps * 1_000_000 / 8;
    tokens = Math.min(tokens, burst());
  }

  private double burst() {
    return bytesPerSecond / 10;
  }

  private void refill() {
    long now = System.nanoTime();
    if (bytesPerSecond > 0) {
      tokens = Math.min(burst(), tokens + (now - last) * bytesPerSecond / 1e9);
    }
    last = now;
  }

  /** Takes {@code n} bytes' worth of tokens, sleeping as long as the limit requires. */
  public void acquire(long n) throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      if (bytesPerSecond <= 0) {
        return;
      }
      refill();
      tokens -= n;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens / bytesPerSecond * 1e9);
    }
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }

  /** Wraps {@code in}: every read is paid for in tokens and reported to {@code progress}. */
  public InputStream wrap(InputStream in, LongConsumer progress) {
    return new FilterInputStream(in) {
      private long sent;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, Math.min(len, 64 * 1024));
        if (n > 0) {
          try {
            acquire(n);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("upload interrupted");
          }
          sent += n;
          progress.accept(sent);
        }
        return n;
      }
    };
  }
}
