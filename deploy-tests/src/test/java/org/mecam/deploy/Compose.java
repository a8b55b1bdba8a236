package org.mecam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker} and {@code docker compose} commands for one test project on the real engine,
 * from the repository root, with the project name and settings in the environment (as a user's
 * {@code .env} would give them), so README commands run exactly as written.
 */
final class Compose {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A finished command: exit code and its output (stdout and stderr, interleaved). */
  record Result(int exit, String output) {
    Result ok(String what) {
      if (exit != 0) {
        throw new AssertionError(what + " exited " + exit + ":\n" + tail(output, 4000));
      }
      return this;
    }
  }

  private final Path root;
  private final String project;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Path logDir;

  Compose(Path root, String project, Map<String, String> settings, Path logDir) {
    this.root = root;
    this.project = project;
    this.logDir = logDir;
    env.put("COMPOSE_PROJECT_NAME", project);
    env.putAll(settings);
  }

  String project() {
    return project;
  }

  Path root() {
    return root;
  }

  Map<String, String> env() {
    return env;
  }

  /** {@code docker compose <args>} for this project. */
  Result compose(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "compose"));
    cmd.addAll(List.of(args));
    return run(timeout, cmd);
  }

  /** {@code docker <args>} (inspect, stats, volume ...). */
  Result docker(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    return run(timeout, cmd);
  }

  /** One shell command line, as a user types it (README and docs commands). */
  Result shell(Duration timeout, String line) {
    return run(timeout, List.of("bash", "-c", line));
  }

  /** {@code docker compose exec -T <service> <command...>}, output only. */
  String exec(String service, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-T", service));
    args.addAll(List.of(command));
    return compose(Duration.ofSeconds(30), args.toArray(String[]::new)).ok("exec " + String.join(" ", command))
        .output();
  }

  /** The project's containers as {@code docker compose ps -a --format json} reports them. */
  List<JsonNode> containers() {
    String out = compose(Duration.ofSeconds(30), "ps", "-a", "--format", "json").ok("compose ps").output();
    List<JsonNode> list = new ArrayList<>();
    try {
      String trimmed = out.strip();
      if (trimmed.startsWith("[")) {
        JSON.readTree(trimmed).forEach(list::add);
      } else {
        for (String line : trimmed.split("\n")) {
          if (line.startsWith("{")) {
            list.add(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("compose ps output: " + out, e);
    }
    return list;
  }

  private Result run(Duration timeout, List<String> cmd) {
    try {
      Path out = Files.createTempFile(logDir, "cmd-", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout + ":\n"
            + tail(Files.readString(out, StandardCharsets.UTF_8), 4000));
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.writeString(logDir.resolve("commands.log"), "$ " + String.join(" ", cmd) + "  (exit " + p.exitValue()
          + ")\n" + tail(text, 20000) + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Files.delete(out);
      return new Result(p.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static String tail(String s, int max) {
    return s.length() <= max ? s : "..." + s.substring(s.length() - max);
  }
}
