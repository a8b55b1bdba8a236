package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mecam.events.PayloadCodec;
import org.mecam.testkit.MqttBroker;

/** Starts the packaged notifier jar as its own process (for tests that halt or restart it). */
final class PackagedNotifier {
  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  private PackagedNotifier() {}

  /** Starts the jar against {@code broker} with {@code data} as its data directory; output goes to notifier.log there. */
  static Process start(MqttBroker broker, Path data, int port, Map<String, String> env) throws IOException {
    assertThat(JAR).as("package the notifier first").exists();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString());
    pb.environment().put("MECAM_MQTT_URL", broker.url());
    pb.environment().put("MECAM_MQTT_USERNAME", "");
    pb.environment().put("MECAM_DATA_DIR", data.toString());
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    pb.environment().putAll(env);
    DATA.put(port, data);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("notifier.log").toFile()));
    return pb.start();
  }

  static void awaitReady(int port, Process p) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
      assertThat(p.isAlive()).as("notifier process alive").isTrue();
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** Notification records (REST list, newest first) that {@code filter} accepts. */
  static List<JsonNode> records(int port, Predicate<JsonNode> filter) throws Exception {
    return records(port, DATA.get(port), filter);
  }

  /** Data directory of the notifier started on each port (where its service token is). */
  private static final Map<Integer, Path> DATA = new java.util.concurrent.ConcurrentHashMap<>();

  static List<JsonNode> records(int port, Path data, Predicate<JsonNode> filter) throws Exception {
    String token = org.mecam.secrets.SecretFiles.read(data.resolve("api.token"), "service API token");
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/notifications?limit=200"))
            .header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : PayloadCodec.mapper().readTree(body)) {
      if (filter.test(n)) {
        out.add(n);
      }
    }
    return out;
  }
}
