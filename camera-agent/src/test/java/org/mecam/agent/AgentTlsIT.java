package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.service.Agent;
import org.mecam.events.Topics;
import org.mecam.launcher.DynsecBroker;
import org.mecam.launcher.FirstStart;
import org.mecam.launcher.LocalCa;
import org.mecam.launcher.ServiceBrokerAcl;
import org.mecam.mqtt.PinnedCaSocketFactory;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttTestClient;

/**
 * The agent as a Pi runs it: only a 0600 config file of the kind the web UI hands out (TEAM contract
 * 4: camera id, ssl:// URL, inline mqtt-password and media-token, base64 CA PEM), against Debian's
 * Mosquitto with FirstStart's dynsec config and certificates, the camera added at runtime through
 * the web UI's dynsec credential. With another CA pinned it never connects, and says why.
 */
@Timeout(120)
class AgentTlsIT {
  private static final String CAM = "tls-cam";
  private static final String CAM_PW = "cam-password-0123456789";

  @TempDir
  static Path tmp;

  private static DynsecBroker broker;
  private static PinnedCaSocketFactory tls;
  private static String webUiPassword;
  private static String caPem;

  @BeforeAll
  static void brokerWithACamera() throws Exception {
    FirstStart.Dirs dirs = new FirstStart.Dirs(tmp.resolve("b"), tmp.resolve("u"), tmp.resolve("n"), tmp.resolve("w"));
    FirstStart.run(dirs, List.of());
    broker = DynsecBroker.start(dirs.broker(), tmp.resolve("broker-state"), false, false);
    caPem = Files.readString(dirs.webui().resolve("broker-ca.crt"));
    tls = PinnedCaSocketFactory.fromPem(caPem, "CA");
    webUiPassword = Files.readString(dirs.webui().resolve("mqtt.password")).strip();
    try (MqttTestClient webUi = MqttTestClient.connect(broker.tlsUrl(), "svc-web-ui", webUiPassword, tls)) {
      webUi.subscribe(ServiceBrokerAcl.DYNSEC_RESPONSE);
      StringBuilder acls = new StringBuilder();
      for (String sub : List.of("availability", "state", "events", "media", "alerts")) {
        acls.append("{\"acltype\":\"publishClientSend\",\"topic\":\"mecam/v1/cameras/" + CAM + "/" + sub
            + "\",\"allow\":true},");
      }
      acls.append("{\"acltype\":\"subscribePattern\",\"topic\":\"mecam/v1/cameras/" + CAM + "/set/#\",\"allow\":true}");
      webUi.publish(ServiceBrokerAcl.DYNSEC_CONTROL, "{\"commands\":[{\"command\":\"createRole\",\"rolename\":\"camera-"
          + CAM + "\",\"acls\":[" + acls + "]},{\"command\":\"createClient\",\"username\":\"" + CAM
          + "\",\"password\":\"" + CAM_PW + "\",\"roles\":[{\"rolename\":\"camera-" + CAM + "\"}]}]}", 1, false);
      assertThat(webUi.await(ServiceBrokerAcl.DYNSEC_RESPONSE, Duration.ofSeconds(5)).payload()).doesNotContain("error");
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  /** The file the web UI hands out, plus the test's own local settings, written 0600. */
  private static Path agentConfig(Path dir, String pem) throws Exception {
    Files.createDirectories(dir);
    int port = FreePort.find();
    String text = String.join("\n",
        "camera-id=" + CAM,
        "mqtt-url=" + broker.tlsUrl(),
        "mqtt-username=" + CAM,
        "mqtt-password=" + CAM_PW,
        "media-token=" + AgentFixtures.TOKEN,
        "mqtt-ca-pem=" + Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)),
        "source=test:moving-box",
        "data-dir=" + dir.resolve("data"),
        "http-bind=127.0.0.1",
        "http-port=" + port,
        "media-base-url=http://127.0.0.1:" + port) + "\n";
    Path f = dir.resolve("agent.conf");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void agentConnectsOverTlsWithTheDownloadedConfigAlone() throws Exception {
    AgentConfig cfg = CameraAgent.parse(new String[] {"--config", agentConfig(tmp.resolve("good"), caPem).toString()},
        Map.of(), System.out);
    assertThat(cfg.mediaToken()).isEqualTo(AgentFixtures.TOKEN);
    assertThat(cfg.toString()).doesNotContain(CAM_PW).doesNotContain(AgentFixtures.TOKEN);
    try (MqttTestClient watcher = MqttTestClient.connect(broker.tlsUrl(), "svc-web-ui", webUiPassword, tls)) {
      watcher.subscribe("mecam/v1/cameras/" + CAM + "/#");
      try (Agent agent = Agent.start(cfg, Clock.systemUTC())) {
        assertThat(watcher.await(Topics.cameraAvailability(CAM), Duration.ofSeconds(20)).payload()).isEqualTo("online");
        // A motion event of the generated scene: the data path works over TLS, not just the login.
        watcher.await(Topics.cameraEvents(CAM), Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void anotherCaIsRefusedWithAReadableMessage() throws Exception {
    String otherCa = LocalCa.create("someone else's CA").certificatePem();
    AgentConfig cfg = CameraAgent.parse(new String[] {"--config", agentConfig(tmp.resolve("bad"), otherCa).toString()},
        Map.of(), System.out);
    List<String> warnings = new CopyOnWriteArrayList<>();
    Logger log = Logger.getLogger("org.mecam.mqtt.PahoTransport");
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(h);
    long before = Files.size(broker.logFile());
    try (Agent agent = Agent.start(cfg, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> warnings.stream().anyMatch(w -> w.contains("TLS refused")));
      assertThat(warnings).anyMatch(w -> w.contains("not signed by the trusted CA"));
      assertThat(String.join("\n", warnings)).doesNotContain(CAM_PW);
      // The password never reached the broker: no login by this camera after the refused handshakes.
      assertThat(broker.logSince(before)).doesNotContain("u'" + CAM + "'");
    } finally {
      log.removeHandler(h);
    }
  }
}
