package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/**
 * Snapshots announced by a camera are fetched from its media server (with its bearer token) and served
 * to sessions, tokens, and holders of a signed expiring link made exactly as the notifier makes it.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class SnapshotLinkTest {
  @InjectBroker
  MqttBroker broker;

  /** The old, user-less signature (links made before links carried their user). */
  static String sign(String mediaId, long exp) throws Exception {
    return hmac(mediaId + "|" + exp);
  }

  /** A link issued to {@code user}: HMAC over mediaId|exp|user, as the notifier makes it. */
  static String sign(String mediaId, long exp, String user) throws Exception {
    return hmac(mediaId + "|" + exp + "|" + user);
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestSetup.LINK_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String link(String mediaId, long exp, String user) throws Exception {
    return "/media/" + mediaId + "/snapshot?exp=" + exp + "&u=" + user + "&sig=" + sign(mediaId, exp, user);
  }

  /** A camera's media server with one snapshot, announced; returns the media id once the web UI has it. */
  private String announceSnapshot(HttpServer agent, byte[] jpeg) throws Exception {
    String camera = "garden";
    String mediaId = Ids.newId();
    Instant now = Instant.now();
    MediaReady m = new MediaReady(Payload.SCHEMA, mediaId, camera, now, Ids.newId(), MediaKind.SNAPSHOT,
        "2026-01-01/" + mediaId + ".jpg",
        "http://127.0.0.1:" + agent.getAddress().getPort() + "/media/2026-01-01/" + mediaId + ".jpg",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg)), jpeg.length, "image/jpeg",
        now, now);
    // The camera is registered with its media address: the only place its media is fetched from.
    Path data = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
        .getValue("mecam.service.data-dir", String.class));
    new org.mecam.cameras.CameraRegistry(data.resolve("cameras.json")).put(new org.mecam.cameras.RegisteredCamera(
        camera, camera, java.net.URI.create("http://127.0.0.1:" + agent.getAddress().getPort()),
        "garden-media-token-0123456789abcdefghijklmnopq", now));
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraMedia(camera), Fixtures.json(m), 1, false);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/snapshot").then().statusCode(200));
    return mediaId;
  }

  @Test
  void removingAUserRevokesTheirLinksAndTellsTheNotifier() throws Exception {
    byte[] jpeg = "\u00ff\u00d8 pretend jpeg".getBytes(StandardCharsets.ISO_8859_1);
    HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext("/", ex -> {
      ex.sendResponseHeaders(200, jpeg.length);
      ex.getResponseBody().write(jpeg);
      ex.close();
    });
    agent.start();
    try (MqttTestClient listener = MqttTestClient.connect(broker.url(), null, null)) {
      var commands = listener.subscribe(Topics.NOTIFIER_COMMANDS);
      String mediaId = announceSnapshot(agent, jpeg);
      String user = "sitter" + Ids.newId().substring(0, 6).toLowerCase();
      given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
          .body("{\"username\":\"" + user + "\",\"password\":\"long enough password\",\"role\":\"viewer\"}")
          .post("/api/users").then().statusCode(200);
      long exp = Instant.now().plusSeconds(600).getEpochSecond();
      given().get(link(mediaId, exp, user)).then().statusCode(200);

      given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/" + user).then().statusCode(200);
      given().get(link(mediaId, exp, user)).then().statusCode(401);
      // The owner's link still works; the notifier is told to drop the user's devices.
      given().get(link(mediaId, exp, TestSetup.OWNER)).then().statusCode(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        MqttTestClient.Received r = commands.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        return r != null && r.payload().contains("remove-user-devices") && r.payload().contains("\"" + user + "\"");
      });
    } finally {
      agent.stop(0);
    }
  }

  @Test
  void servesTheSnapshotThroughASignedExpiringLinkWithoutASession() throws Exception {
    byte[] jpeg = "\u00ff\u00d8 pretend jpeg".getBytes(StandardCharsets.ISO_8859_1);
    AtomicReference<String> auth = new AtomicReference<>();
    HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext("/", ex -> {
      auth.set(ex.getRequestHeaders().getFirst("Authorization"));
      ex.sendResponseHeaders(200, jpeg.length);
      ex.getResponseBody().write(jpeg);
      ex.close();
    });
    agent.start();
    try {
      String camera = "garden";
      String mediaId = Ids.newId();
      Instant now = Instant.now();
      MediaReady m = new MediaReady(Payload.SCHEMA, mediaId, camera, now, Ids.newId(), MediaKind.SNAPSHOT,
          "2026-01-01/" + mediaId + ".jpg",
          "http://127.0.0.1:" + agent.getAddress().getPort() + "/media/2026-01-01/" + mediaId + ".jpg",
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg)), jpeg.length, "image/jpeg",
          now, now);
      // The camera is registered with its media address: the only place its media is fetched from.
      Path data = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
          .getValue("mecam.service.data-dir", String.class));
      new org.mecam.cameras.CameraRegistry(data.resolve("cameras.json")).put(new org.mecam.cameras.RegisteredCamera(
          camera, camera, java.net.URI.create("http://127.0.0.1:" + agent.getAddress().getPort()),
          "garden-media-token-0123456789abcdefghijklmnopq", now));
      try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
        client.publish(Topics.cameraMedia(camera), Fixtures.json(m), 1, false);
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          given().auth().oauth2(TestSetup.TOKEN).get("/media/" + mediaId + "/snapshot").then().statusCode(200));

      long exp = Instant.now().plusSeconds(600).getEpochSecond();
      byte[] body = given().redirects().follow(false)
          .get(link(mediaId, exp, TestSetup.OWNER))
          .then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
      assertThat(body).isEqualTo(jpeg);
      // The API's own link works the same way.
      String path = given().auth().oauth2(TestSetup.TOKEN).get("/api/media/" + mediaId).jsonPath()
          .getString("signedSnapshotPath");
      given().get(path).then().statusCode(200);

      long past = Instant.now().minusSeconds(5).getEpochSecond();
      given().get(link(mediaId, past, TestSetup.OWNER)).then().statusCode(401);
      given().get("/media/" + mediaId + "/snapshot?exp=" + exp + "&u=owner&sig=" + sign("other", exp, "owner"))
          .then().statusCode(401);
      given().get("/media/" + mediaId + "/snapshot?exp=" + (exp + 1) + "&u=owner&sig=" + sign(mediaId, exp, "owner"))
          .then().statusCode(401);
      // A link for one user is not valid for another, and links without a user are no longer accepted.
      given().get("/media/" + mediaId + "/snapshot?exp=" + exp + "&u=someone&sig=" + sign(mediaId, exp, "owner"))
          .then().statusCode(401);
      given().get("/media/" + mediaId + "/snapshot?exp=" + exp + "&sig=" + sign(mediaId, exp)).then().statusCode(401);
    } finally {
      agent.stop(0);
    }
  }
}
