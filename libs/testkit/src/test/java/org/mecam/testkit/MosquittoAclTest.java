package org.mecam.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the repository's real {@code mosquitto/acl} on the real Mosquitto binary: anonymous
 * clients are refused and a camera can neither pose as another camera nor command itself.
 *
 * <p>Mosquitto 2.x acknowledges a denied MQTT 3.1.1 publish and drops it, so every denial is
 * proven by a privileged {@code mecam/v1/#} subscriber: the denied message is sent first and an
 * allowed marker second on the same connection; the broker keeps their order, so once the marker
 * has arrived the denied message would already have arrived had it been let through.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MosquittoAclTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String PW_CAM_A = "pw-cam-a-" + UUID.randomUUID();
  private static final String PW_CAM_B = "pw-cam-b-" + UUID.randomUUID();
  private static final String PW_UPLOADER = "pw-up-" + UUID.randomUUID();
  private static final String PW_WEB_UI = "pw-web-" + UUID.randomUUID();

  private static MqttBroker broker;

  @BeforeAll
  static void startBrokerWithTheRepositoryAcl() {
    Path acl = Path.of(System.getProperty("basedir", ".")).resolve("../../mosquitto/acl").normalize();
    assertThat(acl).as("the repository's ACL file").exists();
    broker =
        MqttBroker.builder()
            // Skipping is not allowed: without the real binary this test must fail, not pass.
            .requireRealMosquitto(true)
            .allowAnonymous(false)
            .user("cam-a", PW_CAM_A)
            .user("cam-b", PW_CAM_B)
            .user("svc-uploader", PW_UPLOADER)
            .user("svc-web-ui", PW_WEB_UI)
            .aclFile(acl)
            .persistence(false)
            .start();
    assertThat(broker.isRealMosquitto()).isTrue();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static MqttTestClient as(String user, String password) {
    return MqttTestClient.connect(broker.url(), user, password);
  }

  /** A subscriber that may read everything under mecam/v1/, as the web UI does. */
  private static MqttTestClient watcher() {
    MqttTestClient webUi = as("svc-web-ui", PW_WEB_UI);
    webUi.subscribe("mecam/v1/#");
    return webUi;
  }

  private static String unique(String what) {
    return what + "-" + UUID.randomUUID();
  }

  @Test
  void refusesAnonymousClients() {
    assertThat(MqttTestClient.tryConnect(broker.url(), null, null)).isEqualTo(5);
  }

  @Test
  void refusesAKnownUserWithTheWrongPassword() {
    assertThat(MqttTestClient.tryConnect(broker.url(), "cam-a", PW_CAM_B)).isIn(4, 5);
  }

  @Test
  void cameraCanPublishItsOwnEventsMediaStateAndAvailability() {
    try (MqttTestClient watcher = watcher();
        MqttTestClient camA = as("cam-a", PW_CAM_A)) {
      for (String sub : new String[] {"events", "media", "state", "availability", "alerts"}) {
        String payload = unique(sub);
        camA.publish("mecam/v1/cameras/cam-a/" + sub, payload, 1, false);
        assertThat(watcher.await("mecam/v1/cameras/cam-a/" + sub, WAIT).payload()).isEqualTo(payload);
      }
    }
  }

  @Test
  void cameraCannotPublishAsAnotherCamera() {
    try (MqttTestClient watcher = watcher();
        MqttTestClient camA = as("cam-a", PW_CAM_A)) {
      camA.publish("mecam/v1/cameras/cam-b/events", unique("forged"), 1, false);
      camA.publish("mecam/v1/cameras/cam-b/availability", "offline", 1, true);
      String marker = unique("marker");
      camA.publish("mecam/v1/cameras/cam-a/events", marker, 1, false);

      assertThat(watcher.await("mecam/v1/cameras/cam-a/events", WAIT).payload()).isEqualTo(marker);
      assertThat(watcher.received("mecam/v1/cameras/cam-b/#")).isEmpty();
    }
  }

  @Test
  void cameraCannotCommandItself() {
    try (MqttTestClient watcher = watcher();
        MqttTestClient camA = as("cam-a", PW_CAM_A)) {
      camA.publish("mecam/v1/cameras/cam-a/set/armed", "false", 1, false);
      String marker = unique("marker");
      camA.publish("mecam/v1/cameras/cam-a/state", marker, 1, false);

      assertThat(watcher.await("mecam/v1/cameras/cam-a/state", WAIT).payload()).isEqualTo(marker);
      assertThat(watcher.received("mecam/v1/cameras/cam-a/set/#")).isEmpty();
    }
  }

  @Test
  void cameraReadsItsOwnCommandsButNotAnotherCamerasCommands() {
    try (MqttTestClient camA = as("cam-a", PW_CAM_A);
        MqttTestClient webUi = as("svc-web-ui", PW_WEB_UI)) {
      camA.trySubscribe("mecam/v1/cameras/cam-b/set/#", 1); // refused or silently useless
      camA.subscribe("mecam/v1/cameras/cam-a/set/#");

      webUi.publish("mecam/v1/cameras/cam-b/set/armed", unique("for-b"), 1, false);
      String mine = unique("for-a");
      webUi.publish("mecam/v1/cameras/cam-a/set/armed", mine, 1, false);

      assertThat(camA.await("mecam/v1/cameras/cam-a/set/armed", WAIT).payload()).isEqualTo(mine);
      assertThat(camA.received("mecam/v1/cameras/cam-b/#")).isEmpty();
    }
  }

  @Test
  void cameraCannotReadOtherCamerasTraffic() {
    try (MqttTestClient camA = as("cam-a", PW_CAM_A);
        MqttTestClient camB = as("cam-b", PW_CAM_B)) {
      camA.trySubscribe("mecam/v1/#", 1);
      camA.subscribe("mecam/v1/cameras/cam-a/set/#");
      camB.publish("mecam/v1/cameras/cam-b/events", unique("b-event"), 1, false);
      try (MqttTestClient webUi = as("svc-web-ui", PW_WEB_UI)) {
        String marker = unique("marker");
        webUi.publish("mecam/v1/cameras/cam-a/set/armed", marker, 1, false);
        // cam-b's event was published (and acknowledged) before the marker, so it would be here.
        assertThat(camA.await("mecam/v1/cameras/cam-a/set/armed", WAIT).payload()).isEqualTo(marker);
      }
      assertThat(camA.received("mecam/v1/cameras/cam-b/#")).isEmpty();
    }
  }

  @Test
  void uploaderCannotPublishCameraEvents() {
    try (MqttTestClient watcher = watcher();
        MqttTestClient uploader = as("svc-uploader", PW_UPLOADER)) {
      uploader.publish("mecam/v1/cameras/cam-a/events", unique("forged"), 1, false);
      uploader.publish("mecam/v1/cameras/cam-a/set/armed", "false", 1, false);
      String marker = unique("marker");
      uploader.publish("mecam/v1/uploader/stored/cam-a", marker, 1, false);

      assertThat(watcher.await("mecam/v1/uploader/stored/cam-a", WAIT).payload()).isEqualTo(marker);
      assertThat(watcher.received("mecam/v1/cameras/#")).isEmpty();
    }
  }

  @Test
  void cameraWritesOnlyItsOwnDeadLetterTopic() {
    try (MqttTestClient watcher = watcher();
        MqttTestClient camA = as("cam-a", PW_CAM_A)) {
      camA.publish("mecam/v1/dead-letter/cameras/cam-b", unique("forged"), 1, false);
      camA.publish("mecam/v1/dead-letter/uploader", unique("forged"), 1, false);
      camA.publish("mecam/v1/dead-letter/cam-a", unique("outside-its-branch"), 1, false);
      String mine = unique("mine");
      camA.publish("mecam/v1/dead-letter/cameras/cam-a", mine, 1, false);

      assertThat(watcher.await("mecam/v1/dead-letter/cameras/cam-a", WAIT).payload()).isEqualTo(mine);
      assertThat(watcher.received("mecam/v1/dead-letter/cameras/cam-b")).isEmpty();
      assertThat(watcher.received("mecam/v1/dead-letter/uploader")).isEmpty();
      assertThat(watcher.received("mecam/v1/dead-letter/cam-a")).isEmpty();
    }
  }

  @Test
  void cameraReadsOnlyItsOwnUploadResults() {
    try (MqttTestClient camA = as("cam-a", PW_CAM_A);
        MqttTestClient uploader = as("svc-uploader", PW_UPLOADER)) {
      camA.trySubscribe("mecam/v1/uploader/stored/+", 1);
      camA.subscribe("mecam/v1/uploader/stored/cam-a");
      uploader.publish("mecam/v1/uploader/stored/cam-b", unique("b"), 1, false);
      String mine = unique("a");
      uploader.publish("mecam/v1/uploader/stored/cam-a", mine, 1, false);

      assertThat(camA.await("mecam/v1/uploader/stored/cam-a", WAIT).payload()).isEqualTo(mine);
      assertThat(camA.received("mecam/v1/uploader/stored/cam-b")).isEmpty();
    }
  }

  @Test
  void aclFileIsTheRepositoryOne() throws Exception {
    Path acl = Path.of(System.getProperty("basedir", ".")).resolve("../../mosquitto/acl");
    assertThat(Files.readString(acl)).contains("pattern write mecam/v1/cameras/%u/events");
  }
}
