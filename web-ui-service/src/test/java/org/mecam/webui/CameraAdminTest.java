package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.cameras.CameraRegistry;
import org.mecam.testkit.MqttTestClient;
import org.mecam.webui.onboarding.PublicUrlSetting;

/**
 * Adding and removing a camera against real Mosquitto with the dynamic security plugin: the added
 * camera can connect and use exactly its own topics; after removal its live connection is dropped
 * and it cannot reconnect, and its media token is gone from the registry.
 */
@QuarkusTest
@QuarkusTestResource(value = DynsecSetup.class, restrictToAnnotatedClass = true)
class CameraAdminTest {
  @Inject PublicUrlSetting publicUrl;

  static Properties parse(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  static Response add(String id, String name, String mediaUrl) {
    return given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("id", id, "name", name, "mediaUrl", mediaUrl)).post("/api/cameras");
  }

  /**
   * This class restarts the application with its own broker: adding a camera needs the web UI's
   * broker connection, which comes up a moment after the HTTP port (a 503 "not connected" before).
   */
  @BeforeEach
  void webUiConnectedToTheBroker() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> given().auth().oauth2(TestSetup.TOKEN).get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void addedCameraUsesOnlyItsOwnTopicsAndRemovalCutsItOff() throws Exception {
    publicUrl.set("https://cams.example.lan:8443");
    Response r = add("porch", "Porch", "http://192.168.1.50:8090");
    assertThat(r.statusCode()).as(r.body().asString()).isEqualTo(201);
    String config = r.jsonPath().getString("agentConfig");
    String command = r.jsonPath().getString("command");
    Properties p = parse(config);
    assertThat(p.getProperty("camera-id")).isEqualTo("porch");
    assertThat(p.getProperty("mqtt-username")).isEqualTo("porch");
    assertThat(p.getProperty("mqtt-url")).isEqualTo("ssl://cams.example.lan:8883");
    assertThat(p.getProperty("media-base-url")).isEqualTo("http://192.168.1.50:8090");
    assertThat(p.getProperty("http-port")).isEqualTo("8090");
    assertThat(new String(Base64.getDecoder().decode(p.getProperty("mqtt-ca-pem")), StandardCharsets.UTF_8))
        .isEqualTo(DynsecSetup.CA_PEM);
    String password = p.getProperty("mqtt-password");
    String token = p.getProperty("media-token");
    assertThat(password).hasSizeGreaterThanOrEqualTo(43);
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    // The command carries the same file and installs it 0600 for the agent's user.
    String b64 = command.substring(command.indexOf('\'') + 1, command.indexOf('\'', command.indexOf('\'') + 1));
    assertThat(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8)).isEqualTo(config);
    assertThat(command).contains("-m 600").contains("/etc/mecam/camera-agent.properties")
        .contains("systemctl restart mecam-camera-agent");

    // Registry: the token the servers will accept, 0600.
    Path file = DynsecSetup.sharedDir.resolve("cameras.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(new CameraRegistry(file).find("porch").orElseThrow().mediaToken()).isEqualTo(token);

    // The download is the same file.
    given().auth().oauth2(TestSetup.TOKEN).get("/api/cameras/porch/agent-config").then().statusCode(200)
        .contentType(containsString("text/plain")).header("Content-Disposition", containsString("attachment"))
        .body(org.hamcrest.Matchers.equalTo(config));

    try (MqttTestClient observer = MqttTestClient.connect(DynsecSetup.broker.url(), DynsecSetup.ADMIN,
        DynsecSetup.ADMIN_PASSWORD)) {
      observer.subscribe("mecam/v1/#");
      MqttTestClient camera = MqttTestClient.connect(DynsecSetup.broker.url(), "porch", password);
      // Its own topics: allowed.
      camera.publish("mecam/v1/cameras/porch/alerts", "own", 1, false);
      assertThat(observer.await("mecam/v1/cameras/porch/alerts", Duration.ofSeconds(5)).payload()).isEqualTo("own");
      assertThat(camera.trySubscribe("mecam/v1/cameras/porch/set/#", 1)).isTrue();
      // Another camera's topics, its own commands, everything: refused (dropped by the broker).
      camera.publish("mecam/v1/cameras/garage/alerts", "forged", 1, false);
      camera.publish("mecam/v1/cameras/porch/set/armed", "self-disarm", 1, false);
      camera.publish("mecam/v1/alerts", "forged", 1, false);
      assertThat(camera.trySubscribe("mecam/v1/#", 1)).isFalse();
      camera.publish("mecam/v1/cameras/porch/alerts", "marker", 1, false);
      assertThat(observer.await("mecam/v1/cameras/porch/alerts", Duration.ofSeconds(5)).payload()).isEqualTo("marker");
      assertThat(observer.received()).extracting(MqttTestClient.Received::payload)
          .doesNotContain("forged", "self-disarm");

      // Remove: the live connection is dropped and the camera cannot come back.
      long start = System.nanoTime();
      given().auth().oauth2(TestSetup.TOKEN).delete("/api/cameras/porch").then().statusCode(204);
      await().atMost(Duration.ofSeconds(5)).until(() -> !camera.isConnected());
      await().atMost(Duration.ofSeconds(5)).until(
          () -> MqttTestClient.tryConnect(DynsecSetup.broker.url(), "porch", password) != 0);
      System.out.printf("camera cut off %d ms after DELETE was sent%n", (System.nanoTime() - start) / 1_000_000);
      camera.close();
    }
    assertThat(new CameraRegistry(file).find("porch")).isEmpty();
    given().auth().oauth2(TestSetup.TOKEN).get("/api/cameras/porch/agent-config").then().statusCode(404);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/cameras/porch").then().statusCode(404);

    // It can be added again, with new secrets.
    Response again = add("porch", "Porch", "http://192.168.1.50:8090");
    assertThat(again.statusCode()).as(again.body().asString()).isEqualTo(201);
    assertThat(parse(again.jsonPath().getString("agentConfig")).getProperty("mqtt-password")).isNotEqualTo(password);
    assertThat(MqttTestClient.tryConnect(DynsecSetup.broker.url(), "porch", password)).isNotZero();
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/cameras/porch").then().statusCode(204);
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    add("Bad_Id", "x", "http://h:1").then().statusCode(400).body("error", containsString("[a-z0-9-]{1,32}"));
    add("svc-web-ui", "x", "http://h:1").then().statusCode(400).body("error", containsString("svc-"));
    add("yard", "Yard", "ftp://h").then().statusCode(400).body("error", containsString("http://"));
    add("yard", "Yard", "http://user:pw@h:1").then().statusCode(400).body("error", containsString("user info"));
    Response ok = add("yard", "Yard", "http://192.168.1.51:8090");
    assertThat(ok.statusCode()).as(ok.body().asString()).isEqualTo(201);
    add("yard", "Yard", "http://192.168.1.51:8090").then().statusCode(409).body("error", containsString("exists"));
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/cameras/yard").then().statusCode(204);
    given().auth().oauth2(TestSetup.TOKEN).get("/api/cameras/nobody/agent-config").then().statusCode(404);
  }
}
