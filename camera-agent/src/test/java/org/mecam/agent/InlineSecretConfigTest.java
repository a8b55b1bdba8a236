package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.AgentConfig;
import org.mecam.launcher.LocalCa;

/**
 * The config file the web UI hands out carries the camera's secrets inline; they are taken only from
 * a --config file readable by its owner alone, never from flags or the environment, and the pinned
 * broker CA comes inline (base64 PEM) or as a file, only for ssl:// URLs.
 */
class InlineSecretConfigTest {
  private static final String PW = "inline-mqtt-password-42";
  private static final String CA = LocalCa.create("test CA").certificatePem();

  @TempDir
  Path dir;

  private Path conf(String mode, String... lines) throws Exception {
    Path f = dir.resolve("agent-" + System.nanoTime() + ".conf");
    Files.writeString(f, "camera-id=porch\nsource=test:moving-box\nhttp-bind=127.0.0.1\ndata-dir=" + dir.resolve("data")
        + "\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  private static AgentConfig parse(Map<String, String> env, String... args) throws Exception {
    return CameraAgent.parse(args, env, new PrintStream(new ByteArrayOutputStream()));
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void inlineSecretsAndCaFromA0600ConfigFile() throws Exception {
    AgentConfig c = parse(Map.of(), "--config", conf("rw-------", "mqtt-url=ssl://mecam.lan:8883", "mqtt-password=" + PW,
        "media-token=" + AgentFixtures.TOKEN, "mqtt-ca-pem=" + b64(CA)).toString());
    assertThat(new String(c.mqttPassword())).isEqualTo(PW);
    assertThat(c.mediaToken()).isEqualTo(AgentFixtures.TOKEN);
    assertThat(c.mqttCaPem()).isEqualTo(CA);
    assertThat(c.toString()).doesNotContain(PW).doesNotContain(AgentFixtures.TOKEN);
  }

  @Test
  void aConfigFileWithSecretsReadableByOthersIsRefusedWithTheFix() throws Exception {
    Path f = conf("rw-r--r--", "mqtt-password=" + PW, "media-token=" + AgentFixtures.TOKEN);
    assertThatThrownBy(() -> parse(Map.of(), "--config", f.toString()))
        .hasMessageContaining("chmod 600 " + f).hasMessageContaining("mqtt-password=")
        .hasMessageNotContaining(PW);
  }

  @Test
  void aWorldReadableConfigFileWithoutSecretsIsStillFine() throws Exception {
    Path token = AgentFixtures.secretFile(dir, "t", AgentFixtures.TOKEN);
    assertThat(parse(Map.of(), "--config", conf("rw-r--r--", "media-token-file=" + token).toString()).mediaToken())
        .isEqualTo(AgentFixtures.TOKEN);
  }

  @Test
  void secretsAreNotAcceptedAsFlagsOrEnvironment() throws Exception {
    Path token = AgentFixtures.secretFile(dir, "t", AgentFixtures.TOKEN);
    Path f = conf("rw-------", "media-token-file=" + token);
    assertThatThrownBy(() -> parse(Map.of(), "--config", f.toString(), "--mqtt-password", PW))
        .hasMessageContaining("--mqtt-password");
    assertThatThrownBy(() -> parse(Map.of("MECAM_AGENT_MQTT_PASSWORD", PW), "--config", f.toString()))
        .hasMessageContaining("MECAM_AGENT_MQTT_PASSWORD").hasMessageContaining("0600 --config file")
        .hasMessageNotContaining(PW);
    assertThatThrownBy(() -> parse(Map.of("MECAM_AGENT_MEDIA_TOKEN", AgentFixtures.TOKEN), "--config", f.toString()))
        .hasMessageContaining("MECAM_AGENT_MEDIA_TOKEN");
  }

  @Test
  void inlineAndFileFormsOfOneSecretConflict() throws Exception {
    Path pw = AgentFixtures.secretFile(dir, "pw", PW);
    Path f = conf("rw-------", "mqtt-password=" + PW, "media-token=" + AgentFixtures.TOKEN);
    assertThatThrownBy(() -> parse(Map.of(), "--config", f.toString(), "--mqtt-password-file", pw.toString()))
        .hasMessageContaining("both mqtt-password=");
  }

  @Test
  void caOptionsAreCheckedAndOnlyForSsl() throws Exception {
    Path token = AgentFixtures.secretFile(dir, "t", AgentFixtures.TOKEN);
    Path caFile = dir.resolve("ca.crt");
    Files.writeString(caFile, CA);
    String base = conf("rw-------", "media-token-file=" + token).toString();
    assertThat(parse(Map.of(), "--config", base, "--mqtt-url", "ssl://h:8883", "--mqtt-ca-file", caFile.toString())
        .mqttCaPem()).isEqualTo(CA);
    assertThatThrownBy(() -> parse(Map.of(), "--config", base, "--mqtt-url", "tcp://h:1883", "--mqtt-ca-pem", b64(CA)))
        .hasMessageContaining("not ssl://");
    assertThatThrownBy(() -> parse(Map.of(), "--config", base, "--mqtt-url", "ssl://h:8883", "--mqtt-ca-pem", "%%%"))
        .hasMessageContaining("not base64");
    assertThatThrownBy(() -> parse(Map.of(), "--config", base, "--mqtt-url", "ssl://h:8883", "--mqtt-ca-pem",
        b64("hello"))).hasMessageContaining("not a usable PEM CA certificate");
    assertThatThrownBy(() -> parse(Map.of(), "--config", base, "--mqtt-url", "ssl://h:8883", "--mqtt-ca-pem", b64(CA),
        "--mqtt-ca-file", caFile.toString())).hasMessageContaining("both --mqtt-ca-file and --mqtt-ca-pem");
  }
}
