package org.mecam.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.mecam.events.DeadLetter;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.launcher.ManagedProcess;
import org.mecam.launcher.MecamSystem;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttTestClient;

/**
 * The whole system as a user runs it: real Mosquitto with the repository's ACL and per-program
 * credentials, the three services from their packaged jars and one camera agent on a generated scene.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SystemIT {
  private static final String CAMERA = "sys-cam";
  private static final ObjectMapper JSON = PayloadCodec.mapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private MecamSystem system;
  private MqttTestClient admin;
  private Path dataDir;
  private int webPort;
  private int uploaderPort;
  private int notifierPort;

  @BeforeAll
  void startSystem() throws Exception {
    Path root = Path.of(System.getProperty("mecam.root", "..")).toAbsolutePath().normalize();
    dataDir = Files.createTempDirectory("mecam-system-");
    webPort = FreePort.find();
    uploaderPort = FreePort.find();
    notifierPort = FreePort.find();
    MecamSystem.Options options = new MecamSystem.Options(root, dataDir, null, webPort,
        uploaderPort, notifierPort, FreePort.find(), CAMERA, "test:moving-box", false);
    Instant t0 = Instant.now();
    system = MecamSystem.start(options, Duration.ofSeconds(150));
    System.out.println("system ready in " + Duration.between(t0, Instant.now()).toMillis() + " ms; broker "
        + system.brokerUrl() + (system.broker().isRealMosquitto() ? " (real Mosquitto)" : " (EMBEDDED)"));
    admin = MqttTestClient.connect(system.brokerUrl(), "svc-admin",
        system.mqttPassword("svc-admin"));
  }

  @AfterAll
  void stopSystem() {
    if (admin != null) {
      admin.close();
    }
    if (system != null) {
      system.close();
    }
  }

  @Test
  @Order(1)
  void runsAgainstRealMosquittoWithPerProgramCredentials() {
    assertThat(system.broker().isRealMosquitto()).as("CI must use the real Mosquitto").isTrue();
    assertThat(MqttTestClient.tryConnect(system.brokerUrl(), null, null)).as("anonymous refused").isNotZero();
  }

  @Test
  @Order(2)
  void motionFromTheCameraReachesEveryServiceAndTheWebUiListsIt() throws Exception {
    Instant start = Instant.now();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> countCameraEvents(webApi("/api/events")) > 0);
    System.out.println("first motion event listed by the web UI API "
        + Duration.between(start, Instant.now()).toMillis() + " ms after the system was ready");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> get(uploaderPort, "/api/queue").toString().contains(CAMERA));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> get(notifierPort, "/api/notifications").toString().contains(CAMERA));
  }

  @Test
  @Order(3)
  void uploaderKilledBetweenReceiptAndCommitLosesNothingAndDoublesNothing() throws Exception {
    ManagedProcess uploader = system.process("uploader");
    uploader.stop(Duration.ofSeconds(15));
    // Published while the uploader is down: its persistent session keeps the message queued.
    String mediaId = "sys-media-" + System.nanoTime();
    try (MqttTestClient camera = MqttTestClient.connect(system.brokerUrl(), CAMERA,
        system.mqttPassword(CAMERA))) {
      Instant now = Instant.now();
      String day = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).toString();
      MediaReady m = new MediaReady(1, mediaId, CAMERA, now, "sys-evt-1", MediaKind.SNAPSHOT,
          // The agent's layout (<yyyy-MM-dd>/<id>.jpg): the uploader refuses any other path (issue 12 #1).
          day + "/" + mediaId + ".jpg", "http://127.0.0.1:9/media/" + day + "/" + mediaId + ".jpg", "0".repeat(64), 10,
          "image/jpeg", now, now);
      camera.publish(Topics.cameraMedia(CAMERA), PayloadCodec.encode(m), 1, false);
    }
    ManagedProcess crashing = uploader.withEnv(Map.of("MECAM_FAULT_HALT_AT", "before-commit")).start();
    system.replace(crashing);
    assertThat(crashing.process().waitFor(60, TimeUnit.SECONDS)).as("uploader halted on receipt").isTrue();
    assertThat(crashing.process().exitValue()).isEqualTo(86);

    ManagedProcess restarted = uploader.withEnv(Map.of()).start();
    system.replace(restarted);
    restarted.awaitReady(Duration.ofSeconds(90));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> occurrences(get(uploaderPort, "/api/queue").toString(), mediaId) > 0);
    assertThat(occurrences(get(uploaderPort, "/api/queue").toString(), "\"" + mediaId + "\""))
        .as("recorded exactly once").isEqualTo(1);
  }

  @Test
  @Order(4)
  void aThousandMalformedMessagesAllBecomeDeadLettersAndEveryServiceStaysUp() throws Exception {
    BlockingQueue<MqttTestClient.Received> letters = admin.subscribe("mecam/v1/dead-letter/+");
    // Who must dead-letter what, per docs/mqtt-contract.md's consumer column.
    Map<String, List<String>> consumers = new HashMap<>();
    consumers.put(Topics.cameraEvents(CAMERA), List.of("notifier", "web-ui"));
    consumers.put(Topics.cameraMedia(CAMERA), List.of("uploader", "web-ui"));
    consumers.put(Topics.cameraAlerts(CAMERA), List.of("notifier", "web-ui"));
    consumers.put(Topics.cameraState(CAMERA), List.of("notifier", "web-ui"));
    consumers.put(Topics.mediaStored(CAMERA), List.of("notifier", "web-ui"));
    consumers.put(Topics.ALERTS, List.of("notifier", "web-ui"));
    consumers.put(Topics.UPLOADER_COMMANDS, List.of("uploader"));
    consumers.put(Topics.NOTIFIER_COMMANDS, List.of("notifier"));
    consumers.put(Topics.NOTIFIER_SENT, List.of("web-ui"));
    Map<String, String> publisherOf = Map.of(
        Topics.mediaStored(CAMERA), "svc-uploader", Topics.ALERTS, "svc-uploader",
        Topics.UPLOADER_COMMANDS, "svc-web-ui", Topics.NOTIFIER_COMMANDS, "svc-web-ui",
        Topics.NOTIFIER_SENT, "svc-notifier");
    List<String> topics = new ArrayList<>(consumers.keySet());
    Map<String, MqttTestClient> clients = new HashMap<>();
    Set<String> expected = new HashSet<>();
    int total = 1000;
    try {
      for (int i = 0; i < total; i++) {
        String topic = topics.get(i % topics.size());
        String user = publisherOf.getOrDefault(topic, CAMERA);
        MqttTestClient c = clients.computeIfAbsent(user, u -> connect(u));
        String marker = "junk-" + i;
        c.publish(topic, malformed(i, marker), 1, false);
        for (String service : consumers.get(topic)) {
          expected.add(service + "|" + marker);
        }
      }
    } finally {
      clients.values().forEach(MqttTestClient::close);
    }
    Set<String> seen = new HashSet<>();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      MqttTestClient.Received r;
      while ((r = letters.poll()) != null) {
        DeadLetter d = PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8),
            DeadLetter.class);
        assertThat(d.reason()).isNotBlank();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("junk-\\d+").matcher(d.payloadPrefix());
        if (m.find()) {
          seen.add(d.service() + "|" + m.group());
        }
      }
      return seen.containsAll(expected);
    });
    for (String name : List.of("uploader", "notifier", "web-ui")) {
      assertThat(system.process(name).isAlive()).as(name + " alive").isTrue();
    }
    assertThat(http(uploaderPort, "/q/health/ready")).isEqualTo(200);
    assertThat(http(notifierPort, "/q/health/ready")).isEqualTo(200);
    assertThat(http(webPort, "/q/health/ready")).isEqualTo(200);
    System.out.println(total + " malformed messages -> " + seen.size() + " dead letters matched (" + expected.size()
        + " expected)");
  }

  @Test
  @Order(5)
  void aClipStoredByTheUploaderPlaysBackThroughTheWebUiWithRangeAfterUnlockingTheArchive() throws Exception {
    // By now the camera has recorded clips and the uploader has encrypted and stored some of them.
    Instant t0 = Instant.now();
    String[] clip = new String[1];
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      JsonNode events = webApi("/api/events?camera=" + CAMERA + "&limit=100");
      for (JsonNode e : events.isArray() ? events : events.path("events")) {
        if (e.hasNonNull("clipMediaId") && "uploaded".equals(e.path("clipStage").asText())) {
          clip[0] = e.path("clipMediaId").asText();
          return true;
        }
      }
      return false;
    });
    String archive = "/media/" + clip[0] + "/archive";
    assertThat(webApi("/api/archive").path("configured").asBoolean()).as("archive configured by the launcher")
        .isTrue();
    assertThat(webGet(archive, null).statusCode()).as("locked").isEqualTo(423);
    HttpResponse<String> unlock = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort
            + "/api/archive/unlock")).header("Authorization", "Bearer " + system.apiToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
            Map.of("passphrase", system.secrets().read("archive-passphrase"))))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unlock.statusCode()).as(unlock.body()).isEqualTo(200);

    HttpResponse<byte[]> whole = webGet(archive, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    int size = whole.body().length;
    assertThat(size).isGreaterThan(1000);
    assertThat(whole.headers().firstValue("Content-Type").orElse("")).startsWith("video/");
    // The same bytes as the camera's own copy: decrypted on the fly from what the uploader stored.
    HttpResponse<byte[]> fromCamera = webGet("/media/" + clip[0] + "/clip", null);
    if (fromCamera.statusCode() == 200) {
      assertThat(whole.body()).isEqualTo(fromCamera.body());
    }
    int from = size / 2;
    HttpResponse<byte[]> part = webGet(archive, "bytes=" + from + "-" + (from + 999));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).hasValue(
        "bytes " + from + "-" + (from + 999) + "/" + size);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), from, from + 1000));
    HttpResponse<byte[]> beyond = webGet(archive, "bytes=" + size + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    System.out.println("clip " + clip[0] + " (" + size + " bytes) played back from the uploader's archive with Range"
        + " in " + Duration.between(t0, Instant.now()).toMillis() + " ms");
  }

  private HttpResponse<byte[]> webGet(String path, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
        .header("Authorization", "Bearer " + system.apiToken()).GET();
    if (range != null) {
      b.header("Range", range);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] malformed(int i, String marker) {
    String s = switch (i % 5) {
      case 0 -> "not json " + marker;
      case 1 -> "{\"schema\":2,\"id\":\"" + marker + "\"}";
      case 2 -> "{\"schema\":1,\"id\":\"" + marker + "\",\"unexpected\":true}";
      case 3 -> "{\"schema\":1,\"id\":\"" + marker + "\",\"camera\":\"someone-else\"}";
      default -> i % 50 == 4 ? marker + " " + "x".repeat(1024 * 1024) : "[\"" + marker + "\"]";
    };
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private MqttTestClient connect(String user) {
    return MqttTestClient.connect(system.brokerUrl(), user, system.mqttPassword(user));
  }

  private JsonNode webApi(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
        .header("Authorization", "Bearer " + system.apiToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private long countCameraEvents(JsonNode events) {
    JsonNode list = events.isArray() ? events : events.path("events");
    long n = 0;
    for (JsonNode e : list) {
      if (CAMERA.equals(e.path("camera").asText())) {
        n++;
      }
    }
    return n;
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    // The uploader's and notifier's /api/... need their service token, made in their data directory.
    String service = port == uploaderPort ? "uploader" : port == notifierPort ? "notifier" : null;
    if (service != null) {
      b.header("Authorization", "Bearer " + Files.readString(dataDir.resolve(service).resolve("api.token")).strip());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private int http(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int occurrences(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
