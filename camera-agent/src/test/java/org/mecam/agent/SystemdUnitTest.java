package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped systemd unit: systemd accepts it, and it agrees with the agent's command line and exit codes. */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("src/dist/systemd/mecam-camera-agent.service");

  @TempDir
  Path dir;

  @Test
  void systemdAcceptsEveryLineOfTheUnit() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    Path copy = dir.resolve(UNIT.getFileName());
    Files.copy(UNIT, copy);
    Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // systemd only warns about unknown keys and bad values (and ignores them): those are the bugs.
    List<String> problems = out.lines()
        .filter(l -> l.contains("Unknown key") || l.contains("Failed to parse") || l.contains("ignoring")
            || l.contains("Invalid"))
        .toList();
    assertThat(problems).as(out).isEmpty();
  }

  @Test
  void configErrorsExitWithTheCodeTheUnitDoesNotRestartOn() throws Exception {
    String unit = Files.readString(UNIT);
    assertThat(unit).contains("RestartPreventExitStatus=2");
    try {
      CameraAgent.parse(new String[] {"--camera-id", "Bad_Id"}, Map.of(),
          new PrintStream(new ByteArrayOutputStream()));
      throw new AssertionError("a bad camera id must stop start-up");
    } catch (CameraAgent.UsageExit e) {
      assertThat(e.code()).isEqualTo(2);
    }
    // The agent's own arguments in ExecStart are valid options.
    String exec = unit.replace("\\\n", " ").lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    List<String> words = Arrays.asList(exec.substring("ExecStart=".length()).trim().split("\\s+"));
    List<String> agentArgs = new ArrayList<>(words.subList(words.indexOf("-jar") + 2, words.size()));
    assertThat(agentArgs).containsExactly("--config", "/etc/mecam/camera-agent.properties");
    Path conf = dir.resolve("camera-agent.properties");
    Files.writeString(conf, "camera-id=garage\nsource=rtsp://cam/main\nmedia-token-file="
        + AgentFixtures.secretFile(dir, "token", AgentFixtures.TOKEN) + "\n");
    agentArgs.set(1, conf.toString());
    assertThat(CameraAgent.parse(agentArgs.toArray(String[]::new), Map.of(),
        new PrintStream(new ByteArrayOutputStream())).cameraId()).isEqualTo("garage");
  }
}
