package org.mecam.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.mqtt.PinnedCaSocketFactory;
import org.mecam.testkit.MqttTestClient;

/**
 * Proves {@link FirstStart}'s output on Debian's real Mosquitto 2.0 with the dynamic-security plugin
 * and a TLS listener: each service logs in over TLS verifying the generated CA, a wrong password or
 * an unknown CA is refused, the service ACLs hold, and a camera the web UI's credential adds at
 * runtime through {@code $CONTROL/dynamic-security/v1} works until deleting it drops its connection.
 *
 * <p>Denials are proven as in {@code MosquittoAclTest}: Mosquitto acknowledges a denied publish and
 * drops it, so the denied message is sent first and an allowed marker second on the same
 * connection; once the marker has arrived, the denied message would have too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirstStartBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  private static FirstStart.Dirs dirs;
  private static DynsecBroker broker;
  private static PinnedCaSocketFactory tls;
  private static Map<String, String> passwords;

  @BeforeAll
  static void firstStartThenBroker() throws IOException {
    assertThat(DynsecBroker.findBinary()).as("Debian's mosquitto must be installed for this test").isNotNull();
    dirs = new FirstStart.Dirs(tmp.resolve("broker"), tmp.resolve("uploader"), tmp.resolve("notifier"),
        tmp.resolve("webui"));
    FirstStart.run(dirs, List.of("mecam.test", "192.168.1.10"));
    broker = DynsecBroker.start(dirs.broker(), tmp.resolve("broker-state"), false, false);
    tls = PinnedCaSocketFactory.fromFile(dirs.webui().resolve("broker-ca.crt"));
    passwords = new java.util.HashMap<>();
    for (String user : ServiceBrokerAcl.services()) {
      passwords.put(user, Files.readString(FirstStart.passwordFile(dirs, user)).strip());
    }
    // The contract's file names (TEAM contract 6).
    assertThat(passwords.get("svc-uploader")).isEqualTo(Files.readString(dirs.uploader().resolve("mqtt.password")).strip());
    assertThat(passwords.get("svc-notifier")).isEqualTo(Files.readString(dirs.notifier().resolve("mqtt.password")).strip());
    assertThat(passwords.get("svc-web-ui")).isEqualTo(Files.readString(dirs.webui().resolve("mqtt.password")).strip());
    assertThat(passwords.get("svc-admin")).isEqualTo(Files.readString(dirs.broker().resolve("svc-admin.password")).strip());
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static MqttTestClient as(String user) {
    return MqttTestClient.connect(broker.tlsUrl(), user, passwords.get(user), tls);
  }

  private static String unique(String what) {
    return what + "-" + UUID.randomUUID();
  }

  @Test
  void everyServiceConnectsOverTlsVerifyingTheGeneratedCa() {
    for (String user : ServiceBrokerAcl.services()) {
      assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), user, passwords.get(user), tls)).as(user).isZero();
    }
    // The IP literal is in the certificate too (Paho verifies the host name either way).
    assertThat(MqttTestClient.tryConnect(broker.tlsUrl().replace("localhost", "127.0.0.1"), "svc-admin",
        passwords.get("svc-admin"), tls)).isZero();
  }

  @Test
  void wrongPasswordUnknownUserAndAnonymousAreRefused() {
    assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), "svc-uploader", passwords.get("svc-notifier"), tls))
        .isIn(4, 5);
    assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), "nobody", "x", tls)).isIn(4, 5);
    assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), null, null, tls)).isIn(4, 5);
  }

  @Test
  void aBrokerSignedByAnotherCaIsRefused() {
    PinnedCaSocketFactory otherCa = PinnedCaSocketFactory.fromPem(LocalCa.create("not ours").certificatePem(), "test CA");
    // Paho reports a refused handshake with reason code 0, so look at the cause, not the code.
    assertThatThrownBy(() -> MqttTestClient.connect(broker.tlsUrl(), "svc-admin", passwords.get("svc-admin"), otherCa))
        .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
        .hasStackTraceContaining("PKIX path building failed");
    assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), "svc-admin", passwords.get("svc-admin"), otherCa)).isEqualTo(-1);
    assertThat(broker.isRunning()).isTrue();
  }

  @Test
  void uploaderCannotPublishCameraEventsOrCommands() {
    try (MqttTestClient watcher = as("svc-web-ui");
        MqttTestClient uploader = as("svc-uploader")) {
      watcher.subscribe("mecam/v1/#");
      uploader.publish("mecam/v1/cameras/cam-a/events", unique("forged"), 1, false);
      uploader.publish("mecam/v1/cameras/cam-a/set/armed", "false", 1, false);
      uploader.publish("mecam/v1/notifier/commands", unique("forged"), 1, false);
      String marker = unique("marker");
      uploader.publish("mecam/v1/uploader/stored/cam-a", marker, 1, false);

      assertThat(watcher.await("mecam/v1/uploader/stored/cam-a", WAIT).payload()).isEqualTo(marker);
      assertThat(watcher.received("mecam/v1/cameras/#")).isEmpty();
      assertThat(watcher.received("mecam/v1/notifier/#")).isEmpty();
    }
  }

  @Test
  void notifierReadsWhatItNeedsButNotMedia() {
    try (MqttTestClient notifier = as("svc-notifier");
        MqttTestClient uploader = as("svc-uploader")) {
      assertThat(notifier.trySubscribe("mecam/v1/cameras/+/media", 1)).isFalse();
      notifier.subscribe("mecam/v1/uploader/stored/+");
      String stored = unique("stored");
      uploader.publish("mecam/v1/uploader/stored/cam-a", stored, 1, false);
      assertThat(notifier.await("mecam/v1/uploader/stored/+", WAIT).payload()).isEqualTo(stored);
      // The web UI's dynsec control topic is not the notifier's.
      assertThat(notifier.trySubscribe("$CONTROL/dynamic-security/v1/response", 1)).isFalse();
    }
  }

  @Test
  void adminReadsEverythingAndPublishesNothing() {
    try (MqttTestClient admin = as("svc-admin");
        MqttTestClient webUi = as("svc-web-ui")) {
      admin.subscribe("mecam/v1/#");
      webUi.subscribe("mecam/v1/#");
      admin.publish("mecam/v1/cameras/cam-a/set/armed", "false", 1, false);
      String marker = unique("marker");
      webUi.publish("mecam/v1/uploader/commands", marker, 1, false);
      assertThat(admin.await("mecam/v1/uploader/commands", WAIT).payload()).isEqualTo(marker);
      // admin's forged command was sent before the marker on its own connection and is absent.
      assertThat(webUi.received("mecam/v1/cameras/#")).isEmpty();
    }
  }

  @Test
  void cameraAddedAtRuntimeByTheWebUiWorksAndDeletingItKicksIt() throws Exception {
    String cam = "cam-" + UUID.randomUUID().toString().substring(0, 8);
    String camPassword = UUID.randomUUID().toString();
    try (MqttTestClient webUi = as("svc-web-ui")) {
      webUi.subscribe(ServiceBrokerAcl.DYNSEC_RESPONSE);
      webUi.subscribe("mecam/v1/#");
      // The per-camera ACL of today's mosquitto/acl pattern lines (CameraBrokerAcl owns it later).
      String acls = """
          [{"acltype":"publishClientSend","topic":"mecam/v1/cameras/%1$s/events","allow":true},
           {"acltype":"publishClientSend","topic":"mecam/v1/cameras/%1$s/state","allow":true},
           {"acltype":"subscribePattern","topic":"mecam/v1/cameras/%1$s/set/#","allow":true},
           {"acltype":"publishClientReceive","topic":"mecam/v1/cameras/%1$s/set/#","allow":true}]
          """.formatted(cam);
      String create = """
          {"commands":[
            {"command":"createRole","rolename":"camera-%1$s","acls":%2$s},
            {"command":"createClient","username":"%1$s","password":"%3$s","roles":[{"rolename":"camera-%1$s"}]}]}
          """.formatted(cam, acls, camPassword);
      webUi.publish(ServiceBrokerAcl.DYNSEC_CONTROL, create, 1, false);
      JsonNode responses = JSON.readTree(webUi.await(ServiceBrokerAcl.DYNSEC_RESPONSE, WAIT).payload()).get("responses");
      assertThat(responses).hasSize(2);
      for (JsonNode r : responses) {
        assertThat(r.has("error")).as(r.toString()).isFalse();
      }

      // The broker saved the new client into the dynsec file, still readable by its owner only, so
      // FirstStart (on the next start) can read it back and keeps the camera.
      Path dynsecFile = dirs.broker().resolve("dynamic-security.json");
      await().atMost(WAIT).until(() -> Files.readString(dynsecFile).contains(cam));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dynsecFile))).isEqualTo("rw-------");
      assertThat(FirstStart.run(dirs, List.of())).isEmpty();
      assertThat(Files.readString(dynsecFile)).contains(cam);

      MqttTestClient camera = MqttTestClient.connect(broker.tlsUrl(), cam, camPassword, tls);
      try {
        camera.subscribe("mecam/v1/cameras/" + cam + "/set/#");
        assertThat(camera.trySubscribe("mecam/v1/#", 1)).isFalse();
        camera.publish("mecam/v1/cameras/" + cam + "/set/armed", "false", 1, false); // may not command itself
        camera.publish("mecam/v1/cameras/other/events", unique("forged"), 1, false);
        String event = unique("event");
        camera.publish("mecam/v1/cameras/" + cam + "/events", event, 1, false);
        assertThat(webUi.await("mecam/v1/cameras/" + cam + "/events", WAIT).payload()).isEqualTo(event);
        assertThat(webUi.received("mecam/v1/cameras/" + cam + "/set/#")).isEmpty();
        assertThat(webUi.received("mecam/v1/cameras/other/#")).isEmpty();
        String command = unique("armed");
        webUi.publish("mecam/v1/cameras/" + cam + "/set/armed", command, 1, false);
        assertThat(camera.await("mecam/v1/cameras/" + cam + "/set/#", WAIT).payload()).isEqualTo(command);

        webUi.publish(ServiceBrokerAcl.DYNSEC_CONTROL,
            "{\"commands\":[{\"command\":\"deleteClient\",\"username\":\"" + cam + "\"}]}", 1, false);
        JsonNode deleted = JSON.readTree(webUi.await(ServiceBrokerAcl.DYNSEC_RESPONSE, WAIT).payload());
        assertThat(deleted.get("responses").get(0).has("error")).as(deleted.toString()).isFalse();
        await().atMost(WAIT).until(() -> !camera.isConnected());
      } finally {
        camera.close();
      }
      assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), cam, camPassword, tls)).isIn(4, 5);
    }
  }

  @Test
  void onlyTheWebUiMayUseTheDynsecControlTopic() {
    try (MqttTestClient uploader = as("svc-uploader");
        MqttTestClient webUi = as("svc-web-ui")) {
      webUi.subscribe(ServiceBrokerAcl.DYNSEC_RESPONSE);
      uploader.publish(ServiceBrokerAcl.DYNSEC_CONTROL,
          "{\"commands\":[{\"command\":\"createClient\",\"username\":\"evil\",\"password\":\"evil-pw\"}]}", 1, false);
      webUi.publish(ServiceBrokerAcl.DYNSEC_CONTROL, "{\"commands\":[{\"command\":\"listClients\"}]}", 1, false);
      JsonNode list = webUi.await(ServiceBrokerAcl.DYNSEC_RESPONSE, WAIT).payload().transform(FirstStartBrokerTest::parse);
      assertThat(list.get("responses").get(0).get("command").asText()).isEqualTo("listClients");
      assertThat(list.toString()).doesNotContain("evil");
      assertThat(MqttTestClient.tryConnect(broker.tlsUrl(), "evil", "evil-pw", tls)).isIn(4, 5);
    }
  }

  @Test
  void filesHaveTheContractsModesAndFormats() throws Exception {
    for (Path secret : List.of(dirs.broker().resolve("dynamic-security.json"), dirs.broker().resolve("ca.key"),
        dirs.broker().resolve("server.key"), dirs.broker().resolve("svc-admin.password"),
        dirs.uploader().resolve("mqtt.password"), dirs.uploader().resolve("archive-read.token"),
        dirs.notifier().resolve("mqtt.password"), dirs.notifier().resolve("link.key"),
        dirs.webui().resolve("mqtt.password"), dirs.webui().resolve("archive-read.token"),
        dirs.webui().resolve("link.key"), dirs.webui().resolve("https.key"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString())
          .isEqualTo("rw-------");
    }
    for (Path cert : List.of(dirs.broker().resolve("ca.crt"), dirs.broker().resolve("server.crt"),
        dirs.webui().resolve("broker-ca.crt"), dirs.webui().resolve("https.crt"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).as(cert.toString())
          .isEqualTo("rw-r--r--");
    }
    assertThat(Files.readString(dirs.webui().resolve("archive-read.token")))
        .isEqualTo(Files.readString(dirs.uploader().resolve("archive-read.token")));
    String linkKey = Files.readString(dirs.webui().resolve("link.key"));
    assertThat(linkKey).isEqualTo(Files.readString(dirs.notifier().resolve("link.key")));
    // SnapshotLinks and LinkSigner read the text as the key and want at least 32 characters.
    assertThat(linkKey.strip()).matches("[A-Za-z0-9_-]{43}");
    assertThat(Files.readString(dirs.webui().resolve("broker-ca.crt")))
        .isEqualTo(Files.readString(dirs.broker().resolve("ca.crt")));

    JsonNode dynsec = JSON.readTree(dirs.broker().resolve("dynamic-security.json").toFile());
    for (JsonNode client : dynsec.get("clients")) {
      if (!passwords.containsKey(client.get("username").asText())) {
        continue; // a camera another test added at runtime
      }
      assertThat(Base64.getDecoder().decode(client.get("salt").asText())).hasSize(12);
      assertThat(Base64.getDecoder().decode(client.get("password").asText())).hasSize(64);
      assertThat(client.get("iterations").asInt()).isPositive();
      assertThat(client.toString()).doesNotContain(passwords.get(client.get("username").asText()));
    }
    var san = LocalCa.readCertificate(dirs.broker().resolve("server.crt")).getSubjectAlternativeNames();
    assertThat(san.stream().map(l -> l.get(1).toString()).toList())
        .contains("mecam.test", "192.168.1.10", "localhost", "127.0.0.1", "mosquitto");
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
