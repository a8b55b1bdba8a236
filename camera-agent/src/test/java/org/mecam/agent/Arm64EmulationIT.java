package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * The Pi jar ({@code -Ppi}, linux-arm64 natives) on aarch64 under user-mode emulation: an arm64 Java 17
 * (a Debian root made by camera-agent/src/test/arm64/prepare.sh) runs under {@code qemu-aarch64-static -L
 * <root>}, decodes a generated H.264 clip, detects the motion in it and publishes the event, snapshot and
 * clip to real Mosquitto on the host. A jar without its aarch64 natives, a crash or no event fails. Runs
 * where prepare.sh has run; under CI (env CI set) a missing root, jar or qemu is a failure, not a skip.
 */
class Arm64EmulationIT {
  private static final String CAM = "cam-arm64";

  @TempDir
  Path dir;

  @Test
  @Timeout(1200)
  void piJarDetectsMotionAndPublishesUnderAarch64Emulation() throws Exception {
    Path root = Path.of(env("MECAM_ARM64_ROOT", "/var/cache/mecam/arm64-root"));
    Path jar = Path.of(env("MECAM_ARM64_JAR", "target/arm64/mecam-camera-agent-arm64.jar")).toAbsolutePath();
    Path java = root.resolve("usr/lib/jvm/java-17-openjdk-arm64/bin/java");
    Path qemu = onPath("qemu-aarch64-static");
    String missing = qemu == null ? "qemu-aarch64-static (package qemu-user-static)"
        : !Files.isExecutable(java) ? "the arm64 root " + root + " (camera-agent/src/test/arm64/prepare.sh)"
        : !Files.isRegularFile(jar) ? "the Pi jar " + jar + " (camera-agent/src/test/arm64/prepare.sh)" : null;
    if (System.getenv("CI") != null) {
      assertThat(missing).as("arm64 emulation test prerequisites").isNull();
    }
    assumeThat(missing).as("arm64 emulation test prerequisites").isNull();

    // The jar carries every native the agent loads, for aarch64, and none for another platform.
    Set<String> platforms = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String lib : List.of("org/bytedeco/ffmpeg/linux-arm64/libjniavcodec.so",
          "org/bytedeco/ffmpeg/linux-arm64/libjniavformat.so", "org/bytedeco/ffmpeg/linux-arm64/libjniswscale.so",
          "org/bytedeco/opencv/linux-arm64/libjniopencv_imgproc.so",
          "org/bytedeco/opencv/linux-arm64/libjniopencv_video.so", "org/bytedeco/openblas/linux-arm64/libjniopenblas_nolapack.so",
          "org/bytedeco/javacpp/linux-arm64/libjnijavacpp.so")) {
        assertThat(zip.getEntry(lib)).as("aarch64 native " + lib + " in " + jar.getFileName()).isNotNull();
      }
      zip.stream().map(e -> e.getName().split("/")).filter(p -> p.length > 3 && p[0].equals("org")
          && p[1].equals("bytedeco") && p[3].startsWith("linux-")).forEach(p -> platforms.add(p[3]));
    }
    assertThat(platforms).containsExactly("linux-arm64");

    Path clip = AgentFixtures.movingBox();
    Path pw = AgentFixtures.secretFile(dir, "mqtt.pw", "arm-pw");
    Path token = AgentFixtures.secretFile(dir, "media.token", AgentFixtures.TOKEN);
    String acl = Files.readString(Path.of("..", "mosquitto", "acl")) + "\nuser tester\ntopic readwrite #\n";
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(false).user(CAM, "arm-pw")
        .user("tester", "tester-pw").aclText(acl).start();
         MqttTestClient client = MqttTestClient.connect(broker.url(), "tester", "tester-pw")) {
      client.subscribe("mecam/v1/cameras/" + CAM + "/#");
      int port = FreePort.find();
      List<String> cmd = new ArrayList<>(List.of(qemu.toString(), "-L", root.toString(), java.toString(),
          "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("javacpp"),
          "-jar", jar.toString(),
          "--camera-id", CAM, "--source", clip.toString(), "--realtime", "false",
          "--mqtt-url", broker.url(), "--mqtt-password-file", pw.toString(), "--media-token-file", token.toString(),
          "--data-dir", dir.resolve("data").toString(), "--http-bind", "127.0.0.1", "--http-port",
          Integer.toString(port), "--media-base-url", "http://127.0.0.1:" + port,
          "--pre-roll", "1s", "--post-roll", "1s"));
      Path log = dir.resolve("agent.log");
      long t0 = System.nanoTime();
      Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        MotionEvent start = null;
        MediaReady clipReady = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        List<MqttTestClient.Received> seen = new ArrayList<>();
        while (clipReady == null) {
          if (!agent.isAlive()) {
            throw new AssertionError("the arm64 agent exited with code " + agent.exitValue() + " before its clip:\n"
                + tail(log));
          }
          String sofar = Files.exists(log) ? Files.readString(log) : "";
          if (sofar.contains("UnsatisfiedLinkError") || sofar.contains("Exception in thread")) {
            throw new AssertionError("the arm64 agent failed:\n" + tail(log));
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError("no clip from the arm64 agent within 15 min:\n" + tail(log));
          }
          for (MqttTestClient.Received r : client.received()) {
            if (seen.contains(r)) {
              continue;
            }
            seen.add(r);
            if (r.topic().equals(Topics.cameraEvents(CAM)) && start == null) {
              start = PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8), MotionEvent.class);
              System.out.printf("arm64: first motion event after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            if (r.topic().equals(Topics.cameraMedia(CAM))) {
              MediaReady m = PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8), MediaReady.class);
              if (m.kind() == MediaKind.CLIP) {
                clipReady = m;
              }
            }
          }
          Thread.sleep(200); // polling a child process and a message list; nothing to await on
        }
        System.out.printf("arm64: clip after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(start).as("a motion start event before the clip").isNotNull();
        assertThat(start.type()).isEqualTo(MotionEvent.Phase.START);
        assertThat(clipReady.eventId()).isEqualTo(start.eventId());
        assertThat(clipReady.size()).isGreaterThan(10_000);
        String text = Files.readString(log);
        assertThat(text).doesNotContain("UnsatisfiedLinkError").doesNotContain("SIGSEGV");
      } finally {
        agent.destroy();
        if (!agent.waitFor(60, TimeUnit.SECONDS)) {
          agent.destroyForcibly();
        }
      }
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static Path onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String tail(Path log) throws Exception {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
