package org.mecam.notifier.fcm;

import com.google.firebase.FirebaseApp;
import com.google.firebase.ThreadManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded thread pool for the Firebase SDK. {@code sendEachAsync} runs one blocking HTTP request
 * per message on the app's executor; the SDK's default executor has 100 threads, while the JDK keeps
 * at most {@code http.maxConnections} idle keep-alive connections per host, so each batch used to
 * close and reopen the connections beyond that. With as many threads as kept connections, every
 * request reuses one.
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
