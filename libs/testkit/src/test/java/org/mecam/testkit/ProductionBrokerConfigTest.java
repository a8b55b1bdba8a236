package org.mecam.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the repository's own {@code mosquitto/mosquitto.conf} and {@code add-credential.sh} on the
 * real binary, so a typo in the production config or a broken credential script fails CI rather
 * than the first {@code docker compose up}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProductionBrokerConfigTest {

  private static final Path REPO =
      Path.of(System.getProperty("basedir", ".")).resolve("../..").toAbsolutePath().normalize();

  @TempDir Path home;

  @Test
  void repositoryConfigAndCredentialScriptGiveABrokerThatOnlyLetsKnownUsersIn() throws Exception {
    Path binary = MosquittoBackend.findBinary();
    assertThat(binary).as("the real mosquitto binary (apt-get install mosquitto)").isNotNull();

    // A scratch copy of the repository layout the script expects: <root>/mosquitto/, <root>/secrets/.
    Files.createDirectories(home.resolve("mosquitto"));
    Path script = home.resolve("mosquitto/add-credential.sh");
    Files.copy(REPO.resolve("mosquitto/add-credential.sh"), script, StandardCopyOption.COPY_ATTRIBUTES);
    String out = run(List.of("bash", script.toString(), "svc-admin"));
    run(List.of("bash", script.toString(), "cam-a"));
    Path secret = home.resolve("secrets/svc-admin.password");
    String adminPassword = Files.readString(secret).trim();
    assertThat(adminPassword).hasSizeGreaterThanOrEqualTo(40);
    assertThat(out).doesNotContain(adminPassword);
    assertThat(Files.getPosixFilePermissions(secret))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(run(List.of("bash", script.toString(), "Not_A_Camera"), 2)).contains("not a valid name");

    int port = FreePort.find();
    String conf =
        Files.readString(REPO.resolve("mosquitto/mosquitto.conf"))
            .replace("listener 1883", "listener " + port + " 127.0.0.1")
            .replace("/mosquitto/config/passwd", home.resolve("mosquitto/passwd").toString())
            .replace("/mosquitto/config/acl", REPO.resolve("mosquitto/acl").toString())
            .replace("/mosquitto/data/", Files.createDirectories(home.resolve("data")) + "/")
            // Stay who we are when the tests run as root (the container drops to its own user).
            + "\nuser " + System.getProperty("user.name") + "\n";
    Path confFile = home.resolve("mosquitto.conf");
    Files.writeString(confFile, conf);
    Path log = home.resolve("mosquitto.log");
    Process broker =
        new ProcessBuilder(binary.toString(), "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      String url = "tcp://127.0.0.1:" + port;
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .failFast("mosquitto exited; see " + log, () -> !broker.isAlive())
          .until(() -> MqttTestClient.tryConnect(url, "svc-admin", adminPassword) == 0);

      assertThat(MqttTestClient.tryConnect(url, null, null)).isEqualTo(5);
      assertThat(MqttTestClient.tryConnect(url, "svc-admin", "guess")).isIn(4, 5);
      String camPassword = Files.readString(home.resolve("secrets/cam-a.password")).trim();
      try (MqttTestClient admin = MqttTestClient.connect(url, "svc-admin", adminPassword);
          MqttTestClient cam = MqttTestClient.connect(url, "cam-a", camPassword)) {
        // The compose healthcheck reads this topic as svc-admin.
        admin.subscribe("$SYS/broker/version");
        assertThat(admin.await("$SYS/broker/version", Duration.ofSeconds(5)).payload())
            .startsWith("mosquitto version");
        admin.subscribe("mecam/v1/#");
        cam.publish("mecam/v1/cameras/cam-a/availability", "online", 1, true);
        assertThat(admin.await("mecam/v1/cameras/cam-a/availability", Duration.ofSeconds(5)).payload())
            .isEqualTo("online");
      }
      assertThat(Files.readString(log)).contains("Config loaded from");
    } finally {
      broker.destroy();
      broker.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String run(List<String> cmd) throws IOException, InterruptedException {
    return run(cmd, 0);
  }

  private String run(List<String> cmd, int expectedExit) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("exit code of %s; output:%n%s", cmd, out).isEqualTo(expectedExit);
    return out;
  }
}
