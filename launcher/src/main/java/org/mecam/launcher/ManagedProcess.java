package org.mecam.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One mecam program run as a child process: its command, environment and log file, a readiness
 * probe over HTTP, and a stop that asks politely (SIGTERM) before it insists.
 */
public final class ManagedProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path logFile;
  private final URI readyUrl;
  private Process process;

  public ManagedProcess(String name, List<String> command, Map<String, String> env, Path logFile,
      URI readyUrl) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = new LinkedHashMap<>(env);
    this.logFile = logFile;
    this.readyUrl = readyUrl;
  }

  /** A Quarkus service started from its fast-jar, {@code <module>/target/quarkus-app/quarkus-run.jar}. */
  public static ManagedProcess quarkus(String name, Path moduleDir, int port, Map<String, String> env,
      Path logDir, String... jvmArgs) {
    List<String> cmd = new ArrayList<>(List.of(javaBinary()));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-jar", moduleDir.resolve("target/quarkus-app/quarkus-run.jar").toString()));
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    return new ManagedProcess(name, cmd, e, logDir.resolve(name + ".log"),
        URI.create("http://127.0.0.1:" + port + "/q/health/ready"));
  }

  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public ManagedProcess start() throws IOException {
    Files.createDirectories(logFile.getParent());
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
    return this;
  }

  /** Waits until the readiness URL answers 200, failing fast if the process dies. */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with code " + process.exitValue() + " before it was ready; see "
            + logFile);
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(readyUrl)
            .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
      } catch (IOException e) {
        last = e.getClass().getSimpleName();
      }
      Thread.sleep(250);
    }
    throw new IOException(name + " not ready within " + timeout + " (" + last + "); see " + logFile);
  }

  /** SIGTERM, then SIGKILL after {@code grace}. Returns the exit code. */
  public int stop(Duration grace) throws InterruptedException {
    if (process == null) {
      return -1;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return process.exitValue();
  }

  /** Like {@code kill -9}: no shutdown hooks, no goodbye to the broker. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  /** The same program again, with extra or changed environment (e.g. a fault injection point). */
  public ManagedProcess withEnv(Map<String, String> extra) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.putAll(extra);
    return new ManagedProcess(name, command, e, logFile, readyUrl);
  }

  public Process process() {
    return process;
  }
}
