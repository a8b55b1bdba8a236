package org.mecam.notifier.fcm;

import com.google.firebase.FirebaseApp;
import com.google.firebase.ThreadManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Firebase SDK's thread pool, sized by {@code mecam.notifier.fcm.threads}. {@code sendEachAsync}
 * runs one blocking HTTP request per message on it, and the service keeps as many idle keep-alive
 * connections per host ({@code http.maxConnections}) as there are threads: with the SDK's defaults
 * (100 threads, 64 kept connections) each batch closed and reopened the surplus connections.
 */
final class FcmThreads extends ThreadManager {
  private final int threads;
  private final AtomicInteger count = new AtomicInteger();

  FcmThreads(int threads) {
    this.threads = Math.max(1, threads);
  }

  @Override
  protected ExecutorService getExecutor(FirebaseApp app) {
    return Executors.newFixedThreadPool(threads, getThreadFactory());
  }

  @Override
  protected void releaseExecutor(FirebaseApp app, ExecutorService executor) {
    executor.shutdownNow();
  }

  @Override
  protected ThreadFactory getThreadFactory() {
    return r -> {
      Thread t = new Thread(r, "fcm-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
