package org.mecam.uploader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mecam.testkit.FreePort;

/** The packaged uploader ({@code target/quarkus-app/quarkus-run.jar}) as a child process for tests. */
final class UploaderProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

  private final Map<String, String> env;
  private final List<String> jvmArgs;
  private final Path log;
  private final int port;
  private Process process;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  UploaderProcess(Map<String, String> env, List<String> jvmArgs, Path log) {
    this.port = FreePort.find();
    this.env = env;
    this.jvmArgs = jvmArgs;
    this.log = log;
  }

  int port() {
    return port;
  }

  void start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    // The service token of /api/... (issue 12 #8), presented by get().
    Path tokenFile = log.toAbsolutePath().getParent().resolve("api.token");
    if (!Files.exists(tokenFile)) {
      Files.writeString(tokenFile, UploaderTestResource.API_TOKEN + "\n");
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    }
    pb.environment().put("MECAM_API_TOKEN_FILE", tokenFile.toString());
    pb.redirectErrorStream(true);
    Files.createDirectories(log.getParent());
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
  }

  boolean ready() {
    return get("/q/health/ready") != null;
  }

  /** GET on the uploader's HTTP port; null when it is not answering or not 200. */
  String get(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Authorization", "Bearer " + UploaderTestResource.API_TOKEN)
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SIGKILL: no shutdown hooks, no clean close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
