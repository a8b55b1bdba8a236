package org.mecam.bench.notifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the packaged notifier as its own process, configured only through environment variables. */
final class NotifierProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  NotifierProcess(Path jar, int port, Map<String, String> env, Path log) throws IOException {
    this.port = port;
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    String opts = System.getenv("NOTIFIER_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(1, List.of(opts.trim().split("\\s+")));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    process = pb.start();
  }

  /** CPU time (user + system) the process has used so far, in milliseconds (Linux /proc). */
  long cpuMillis() throws IOException {
    String stat = java.nio.file.Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  /** Waits until /q/health/ready answers 200. */
  void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("notifier exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("notifier not ready within " + timeout);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
