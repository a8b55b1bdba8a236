package org.mecam.uploader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged recovery CLI ({@code recovery-cli/target/mecam-recover.jar}) run as its own process,
 * the way an owner would run it on files downloaded from the cloud with nothing else running.
 */
final class RecoveryCli {
  static final Path JAR = Path.of(System.getProperty("mecam.recover.jar",
      "../recovery-cli/target/mecam-recover.jar")).toAbsolutePath().normalize();

  /** Exit code and everything the CLI printed. */
  record Result(int exitCode, String output) {}

  private RecoveryCli() {}

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: package recovery-cli first (the reactor does, "
          + "uploader-service depends on it for that)");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "mecam-recover-", ".log");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("mecam-recover " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
