package org.mecam.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One topology, two runners (issue 11 #6): every setting the launcher gives a server program is also
 * set by {@code docker-compose.yml}, by the same environment variable name, and the other way round,
 * except the runner-specific ones listed in {@link #ONLY_LAUNCHER} and {@link #ONLY_COMPOSE}, each
 * with the reason. A new setting added to one runner and not the other fails the build here. Secret
 * and shared files must also be the same {@link FirstStart} artifact (same file name) in both.
 */
class LauncherComposeTopologyTest {
  /** Compose service name → the launcher's program name. */
  private static final Map<String, String> PROGRAMS = Map.of(
      "uploader-service", "uploader", "notifier-service", "notifier", "web-ui-service", "web-ui");

  private static final Map<String, String> ONLY_LAUNCHER = Map.ofEntries(
      Map.entry("QUARKUS_HTTP_HOST", "the launcher binds loopback; compose isolates with its own network"),
      Map.entry("MECAM_MQTT_CA_FILE", "the launcher's programs dial the broker's TLS port on loopback; compose's"
          + " use plain 1883 inside the compose network (cameras use TLS in both)"),
      Map.entry("MECAM_MQTT_CLIENT_ID", "the launcher prefixes client ids with its installation id; compose runs"
          + " one installation per bundled broker (an existing shared broker should set it too)"),
      Map.entry("MECAM_NOTIFIER_WEB_UI_BASE_URL", "no browser setup in the launcher; in compose the web UI"
          + " publishes the public URL chosen at setup"),
      Map.entry("MECAM_WEBUI_BOOTSTRAP_ADMIN_USER", "the launcher creates the owner; compose onboards with the"
          + " setup code"),
      Map.entry("MECAM_WEBUI_BOOTSTRAP_ADMIN_PASSWORD_FILE", "as MECAM_WEBUI_BOOTSTRAP_ADMIN_USER"),
      Map.entry("MECAM_WEBUI_API_TOKEN_FILE", "scripted access for the launcher's system tests"),
      Map.entry("MECAM_WEBUI_SECURE_COOKIES", "the launcher serves http://localhost; compose HTTPS (default true)"),
      Map.entry("MECAM_WEBUI_OWNER_KEY_FILE", "the launcher makes the archive key up front; compose's setup makes"
          + " it in the web UI's data volume (the default path)"));

  private static final Map<String, String> ONLY_COMPOSE = Map.ofEntries(
      Map.entry("QUARKUS_HTTP_SSL_PORT", "HTTPS for phones on the LAN; the launcher's http://localhost is already"
          + " a secure context"),
      Map.entry("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "as QUARKUS_HTTP_SSL_PORT"),
      Map.entry("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "as QUARKUS_HTTP_SSL_PORT"),
      Map.entry("MECAM_UPLOADER_BACKEND", "chosen in .env; the launcher uses the default (local)"),
      Map.entry("MECAM_UPLOADER_DRIVE_CLIENT_ID", "optional Drive backend, from .env"),
      Map.entry("MECAM_UPLOADER_DRIVE_CLIENT_SECRET_FILE", "optional Drive backend, from .env"),
      Map.entry("MECAM_NOTIFIER_WEBPUSH_SUBJECT", "from .env; the launcher uses the notifier's default"),
      Map.entry("MECAM_NOTIFIER_FCM_CREDENTIALS_FILE", "optional app pushes, from .env"),
      Map.entry("MECAM_NOTIFIER_FCM_PROJECT_ID", "optional app pushes, from .env"));

  @TempDir
  Path tmp;

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, String>> composeEnvironments() throws Exception {
    Path compose = Path.of(System.getProperty("basedir", ".")).resolve("../docker-compose.yml").normalize();
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(compose));
    Map<String, Object> services = (Map<String, Object>) root.get("services");
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : PROGRAMS.entrySet()) {
      Map<String, Object> service = (Map<String, Object>) services.get(p.getKey());
      assertThat(service).as("compose service " + p.getKey()).isNotNull();
      Object env = service.get("environment");
      Map<String, String> vars = new LinkedHashMap<>();
      if (env instanceof Map<?, ?> m) {
        m.forEach((k, v) -> vars.put(k.toString(), v == null ? "" : v.toString()));
      } else if (env instanceof List<?> l) {
        for (Object o : l) {
          String[] kv = o.toString().split("=", 2);
          vars.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      }
      out.put(p.getValue(), vars);
    }
    return out;
  }

  @Test
  void launcherAndComposeSetTheSameSettingsByTheSameNames() throws Exception {
    Map<String, Map<String, String>> compose = composeEnvironments();
    MecamSystem planned = MecamSystem.planned(new MecamSystem.Options(tmp, tmp.resolve(".mecam"), null, 8080, 8081,
        8082, 8090, "demo-cam", "test:moving-box", false));
    Map<String, Map<String, String>> launcher = planned.environments();
    List<String> drift = new java.util.ArrayList<>();
    for (String program : PROGRAMS.values()) {
      Set<String> l = launcher.get(program).keySet();
      Set<String> c = compose.get(program).keySet();
      for (String k : new TreeSet<>(l)) {
        if (!c.contains(k) && !ONLY_LAUNCHER.containsKey(k)) {
          drift.add(program + ": " + k + " is set by the launcher but not by docker-compose.yml");
        }
      }
      for (String k : new TreeSet<>(c)) {
        if (!l.contains(k) && !ONLY_COMPOSE.containsKey(k)) {
          drift.add(program + ": " + k + " is set by docker-compose.yml but not by the launcher");
        }
      }
    }
    assertThat(drift).as("settings that differ between the runners").isEmpty();
  }

  @Test
  void bothRunnersPointTheSameSettingsAtTheSameFirstStartFiles() throws Exception {
    Map<String, Map<String, String>> compose = composeEnvironments();
    Map<String, Map<String, String>> launcher = MecamSystem.planned(new MecamSystem.Options(tmp, tmp.resolve(".mecam"),
        null, 8080, 8081, 8082, 8090, "demo-cam", "test:moving-box", false)).environments();
    for (String program : PROGRAMS.values()) {
      for (Map.Entry<String, String> e : compose.get(program).entrySet()) {
        String launcherValue = launcher.get(program).get(e.getKey());
        if (e.getKey().endsWith("_FILE") && launcherValue != null && !e.getValue().contains("$")) {
          assertThat(Path.of(launcherValue).getFileName().toString()).as(program + " " + e.getKey())
              .isEqualTo(Path.of(e.getValue()).getFileName().toString());
        }
      }
    }
  }

  @Test
  void exceptionsAreNotStale() throws Exception {
    // An exception for a name neither runner sets any more must go, or it would hide the next drift.
    Map<String, Map<String, String>> compose = composeEnvironments();
    Map<String, Map<String, String>> launcher = MecamSystem.planned(new MecamSystem.Options(tmp, tmp.resolve(".mecam"),
        null, 8080, 8081, 8082, 8090, "demo-cam", "test:moving-box", false)).environments();
    Set<String> launcherKeys = new TreeSet<>();
    launcher.values().forEach(m -> launcherKeys.addAll(m.keySet()));
    Set<String> composeKeys = new TreeSet<>();
    compose.values().forEach(m -> composeKeys.addAll(m.keySet()));
    assertThat(launcherKeys).containsAll(ONLY_LAUNCHER.keySet());
    assertThat(composeKeys).containsAll(ONLY_COMPOSE.keySet());
  }
}
