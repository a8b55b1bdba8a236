package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.config.SourceSpec;

/** The CLI: help, flags over environment over config file, and clear errors for bad values. */
class CommandLineTest {

  @TempDir
  Path dir;

  private Path token() throws Exception {
    return AgentFixtures.secretFile(dir, "token", AgentFixtures.TOKEN);
  }

  private AgentConfig parse(Map<String, String> env, String... args) throws Exception {
    return CameraAgent.parse(args, env, new PrintStream(new ByteArrayOutputStream()));
  }

  private String error(Map<String, String> env, String... args) {
    try {
      parse(env, args);
    } catch (CameraAgent.UsageExit e) {
      assertThat(e.code()).isEqualTo(2);
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a configuration error");
  }

  @Test
  void helpListsEveryOptionAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> CameraAgent.parse(new String[] {"--help"}, Map.of(), new PrintStream(out)))
        .isInstanceOfSatisfying(CameraAgent.UsageExit.class, e -> assertThat(e.code()).isZero());
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help).contains("--camera-id", "--source", "--mqtt-password-file", "--media-token-file", "--pre-roll",
        "MECAM_AGENT_");
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheConfigFile() throws Exception {
    Path conf = dir.resolve("agent.properties");
    Files.writeString(conf, "camera-id=from-file\nsource=test:moving-box\npre-roll=7s\npost-roll=8s\nhttp-port=9001\n"
        + "media-token-file=" + token() + "\n");
    AgentConfig c = parse(Map.of("MECAM_AGENT_PRE_ROLL", "4s", "MECAM_AGENT_POST_ROLL", "6s"),
        "--config", conf.toString(), "--post-roll", "2s");
    assertThat(c.cameraId()).isEqualTo("from-file");
    assertThat(c.source().kind()).isEqualTo(SourceSpec.Kind.TEST);
    assertThat(c.preRoll()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.postRoll()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.httpPort()).isEqualTo(9001);
    assertThat(c.mqttUsername()).as("user name defaults to the camera id").isEqualTo("from-file");
    assertThat(c.mediaToken()).isEqualTo(AgentFixtures.TOKEN);
  }

  @Test
  void configFileFromTheEnvironmentIsRead() throws Exception {
    Path conf = dir.resolve("agent.properties");
    Files.writeString(conf, "camera-id=porch\nsource=test:moving-box\nmedia-token-file=" + token() + "\n");
    assertThat(parse(Map.of("MECAM_AGENT_CONFIG", conf.toString())).cameraId()).isEqualTo("porch");
  }

  @Test
  void misspelledConfigKeyOrEnvironmentVariableStopsStartUp() throws Exception {
    Path conf = dir.resolve("agent.properties");
    Files.writeString(conf, "camera-id=porch\nsource=test:moving-box\npreroll=3s\nmedia-token-file=" + token() + "\n");
    assertThat(error(Map.of(), "--config", conf.toString())).contains("unknown key(s) [preroll]");
    assertThat(error(Map.of("MECAM_AGENT_PREROLL", "3s"), "--camera-id", "porch", "--source", "test:moving-box",
        "--media-token-file", token().toString())).contains("MECAM_AGENT_PREROLL");
  }

  @Test
  void badValuesAreRefusedWithTheOptionNamed() throws Exception {
    String tok = token().toString();
    assertThat(error(Map.of(), "--camera-id", "Bad_Id", "--source", "test:moving-box", "--media-token-file", tok))
        .contains("--camera-id").contains("[a-z0-9-]{1,32}");
    assertThat(error(Map.of(), "--camera-id", "svc-x", "--source", "test:moving-box", "--media-token-file", tok))
        .contains("reserved for services");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:nothing", "--media-token-file", tok))
        .contains("--source").contains("unknown test scene");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "/no/such.mp4", "--media-token-file", tok))
        .contains("does not exist");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file", tok,
        "--pre-roll", "soon")).contains("--pre-roll").contains("not a duration");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file", tok,
        "--sensitivity", "500")).contains("--sensitivity");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file", tok,
        "--mask", "0,0 2,0 1,1")).contains("--mask").contains("0..1");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file", tok,
        "--mqtt-url", "http://x")).contains("--mqtt-url");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file", tok,
        "--http-port", "many")).contains("--http-port");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box")).contains("--media-token-file is required");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "/dev/video0", "--media-token-file", tok,
        "--v4l2-size", "big")).contains("--v4l2-size");
  }

  @Test
  void secretFilesReadableByOthersAreRefused() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "secret");
    Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file",
        token().toString(), "--mqtt-password-file", pw.toString())).contains("--mqtt-password-file")
        .contains("chmod 600");
    Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
    AgentConfig c = parse(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file",
        token().toString(), "--mqtt-password-file", pw.toString());
    assertThat(new String(c.mqttPassword())).isEqualTo("secret");
    assertThat(c.toString()).doesNotContain("secret").doesNotContain(AgentFixtures.TOKEN);
  }

  @Test
  void v4l2ModeOptionsAreRead() throws Exception {
    AgentConfig c = parse(Map.of("MECAM_AGENT_V4L2_INPUT_FORMAT", "h264"), "--camera-id", "cam", "--source",
        "/dev/video0", "--media-token-file", token().toString(), "--v4l2-size", "1280x720", "--v4l2-fps", "15");
    assertThat(c.source().kind()).isEqualTo(SourceSpec.Kind.V4L2);
    assertThat(c.v4l2InputFormat()).isEqualTo("h264");
    assertThat(c.v4l2Size()).isEqualTo("1280x720");
    assertThat(c.v4l2Fps()).isEqualTo(15.0);
  }

  @Test
  void streamUrlCredentialsAreNeverPrinted() throws Exception {
    AgentConfig c = parse(Map.of(), "--camera-id", "cam", "--source", "rtsp://admin:hunter2@10.0.0.5/stream1",
        "--media-token-file", token().toString());
    assertThat(c.source().kind()).isEqualTo(SourceSpec.Kind.RTSP);
    assertThat(c.toString()).doesNotContain("hunter2");
  }

  @Test
  void detectSourceAndUpdateIntervalComeFromFlagsEnvironmentOrFile() throws Exception {
    Path conf = dir.resolve("agent.properties");
    Files.writeString(conf, "camera-id=porch\nsource=rtsp://u:p@10.0.0.5/main\n"
        + "detect-source=rtsp://u:hunter2@10.0.0.5/sub\nmedia-token-file=" + token() + "\n");
    AgentConfig fromFile = parse(Map.of(), "--config", conf.toString());
    assertThat(fromFile.detectSource()).isEqualTo(SourceSpec.parse("rtsp://u:hunter2@10.0.0.5/sub"));
    assertThat(fromFile.updateInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(fromFile.toString()).contains("detect=rtsp://***@10.0.0.5/sub").doesNotContain("hunter2");
    AgentConfig fromEnv = parse(Map.of("MECAM_AGENT_DETECT_SOURCE", "rtsp://10.0.0.5/other",
        "MECAM_AGENT_UPDATE_INTERVAL", "2s"), "--config", conf.toString());
    assertThat(fromEnv.detectSource().location()).isEqualTo("rtsp://10.0.0.5/other");
    assertThat(fromEnv.updateInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(parse(Map.of(), "--config", conf.toString(), "--detect-source", "http://cam/sub.mjpg")
        .detectSource().kind()).isEqualTo(SourceSpec.Kind.HTTP);
    assertThat(parse(Map.of(), "--camera-id", "cam", "--source", "/dev/video0", "--media-token-file",
        token().toString()).detectSource()).isNull();
  }

  @Test
  void badDetectSourcesAreRefused() throws Exception {
    String tok = token().toString();
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "/dev/video0", "--media-token-file", tok,
        "--detect-source", "/no/such-sub.mp4")).contains("--detect-source").contains("does not exist");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "test:moving-box", "--media-token-file", tok,
        "--detect-source", "rtsp://cam/sub")).contains("--detect-source");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "rtsp://cam/main", "--media-token-file", tok,
        "--detect-source", "rtsp://cam/main")).contains("--detect-source").contains("same as --source");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "rtsp://cam/main", "--media-token-file", tok,
        "--detect-source", "ftp://cam/sub")).contains("--detect-source").contains("unsupported scheme");
    assertThat(error(Map.of(), "--camera-id", "cam", "--source", "rtsp://cam/main", "--media-token-file", tok,
        "--update-interval", "often")).contains("--update-interval");
  }
}
