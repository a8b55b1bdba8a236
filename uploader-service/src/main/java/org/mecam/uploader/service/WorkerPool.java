package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A fixed set of worker threads running {@code runOnce()} in a loop, of which only the first
 * {@code active} do work (so parallelism changes live); idle workers sleep until woken or polled.
 */
public final class WorkerPool {
  /** Upper bound of any parallelism setting. */
  public static final int MAX_THREADS = 16;

  /** One unit of work; returns true when it did something (so the loop goes on without waiting). */
  @FunctionalInterface
  public interface Job {
    boolean runOnce() throws Exception;
  }

  private final String name;
  private final Job job;
  private final IntSupplier active;
  private final Duration poll;
  private final Object signal = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private long wakeups;

  public WorkerPool(String name, Job job, IntSupplier active, Duration poll) {
    this.name = name;
    this.job = job;
    this.active = active;
    this.poll = poll;
  }

  public void start(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      final int index = i;
      Thread t = new Thread(() -> loop(index), name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Wakes the idle workers, e.g. because new work was recorded. */
  public void wake() {
    synchronized (signal) {
      wakeups++;
      signal.notifyAll();
    }
  }

  private void loop(int index) {
    while (running) {
      boolean didWork = false;
      long seen;
      synchronized (signal) {
        seen = wakeups;
      }
      if (index < active.getAsInt()) {
        try {
          didWork = job.runOnce();
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          Log.warnf("%s worker: %s", name, e.toString());
        } catch (Error e) {
          Log.errorf(e, "%s worker hit an error", name);
        }
      }
      if (!didWork) {
        synchronized (signal) {
          if (running && wakeups == seen) {
            try {
              signal.wait(Math.max(1, poll.toMillis()));
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }
    }
  }

  public void stop() {
    running = false;
    wake();
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
