package org.mecam.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.mecam.cameras.CameraRegistry;
import org.mecam.cameras.RegisteredCamera;
import org.mecam.crypto.KdfParams;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.testkit.MqttBroker;

/**
 * The whole mecam system on one machine: a broker (the one on localhost:1883 if it answers, else one
 * started here), the three services and one camera agent as child processes, with every credential
 * generated into 0600 files under the data directory.
 */
public final class MecamSystem implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MecamSystem.class.getName());
  static final List<String> SERVICE_USERS = List.of("svc-uploader", "svc-notifier", "svc-web-ui", "svc-admin");
  public static final String OWNER = "owner";

  /** Where things are and which ports to use. */
  public record Options(Path repoRoot, Path dataDir, String brokerUrl, boolean startOwnBroker, int webPort,
      int uploaderPort, int notifierPort, int agentPort, String cameraId, String agentSource,
      boolean webSecureCookies) {
    public Options {
      repoRoot = repoRoot.toAbsolutePath().normalize();
      dataDir = dataDir.toAbsolutePath().normalize();
    }
  }

  private final Options options;
  private final Secrets secrets;
  private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
  private MqttBroker broker;
  private String brokerUrl;

  private MecamSystem(Options options) throws IOException {
    this.options = options;
    this.secrets = new Secrets(options.dataDir().resolve("secrets"));
  }

  /** Starts everything and waits until every service reports ready. */
  public static MecamSystem start(Options options, Duration readyTimeout) throws Exception {
    MecamSystem s = new MecamSystem(options);
    try {
      s.startBroker();
      s.prepareKeys();
      for (ManagedProcess p : s.plan()) {
        s.processes.put(p.name(), p.start());
      }
      for (ManagedProcess p : s.processes.values()) {
        p.awaitReady(readyTimeout);
        LOG.info(p.name() + " is ready");
      }
      return s;
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  private void startBroker() throws IOException {
    if (options.brokerUrl() != null) {
      brokerUrl = options.brokerUrl();
      return;
    }
    if (!options.startOwnBroker() && answers("127.0.0.1", 1883)) {
      brokerUrl = "tcp://127.0.0.1:1883";
      LOG.info("using the broker that answers on localhost:1883 (it must accept the mecam users or "
          + "anonymous clients)");
      return;
    }
    MqttBroker.Builder b = MqttBroker.builder().allowAnonymous(false)
        .aclFile(options.repoRoot().resolve("mosquitto/acl"));
    for (String user : users()) {
      b.user(user, secrets.read("mqtt-" + user + ".password"));
    }
    broker = b.start();
    brokerUrl = broker.url();
    LOG.info(broker.isRealMosquitto()
        ? "started Mosquitto on " + brokerUrl + " with per-program credentials and the repository's ACL"
        : "started an embedded broker on " + brokerUrl + " with per-program credentials; it does NOT enforce"
            + " the repository's ACL (install mosquitto for that)");
  }

  private List<String> users() {
    List<String> users = new ArrayList<>(SERVICE_USERS);
    users.add(options.cameraId());
    return users;
  }

  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // The archive key: the uploader gets only the public half; the private half stays encrypted
  // under a passphrase that this local run keeps in a 0600 file (a real owner keeps it in their head).
  private void prepareKeys() throws IOException {
    Path keyFile = options.dataDir().resolve("secrets/owner.key");
    Path recipients = options.dataDir().resolve("uploader-recipients.txt");
    if (!Files.exists(keyFile)) {
      char[] passphrase = secrets.read("archive-passphrase").toCharArray();
      OwnerKeyPair pair = OwnerKeyPair.generate();
      OwnerKeyFile.create(keyFile, pair, passphrase, KdfParams.argon2idForTests());
      Files.writeString(recipients, pair.recipient().toText() + "\n", StandardCharsets.UTF_8);
      pair.destroy();
    }
    // Tokens the uploader uses to pull media from the agent.
    String token = secrets.read("camera-" + options.cameraId() + ".token");
    secrets.write("uploader-camera-tokens", options.cameraId() + "=" + token);
    // The camera registry (libs/cameras): the only place the uploader and web UI take a camera's media
    // address and token from. (Bridge until the launcher's shared dir and onboarding write it.)
    new CameraRegistry(options.dataDir().resolve("cameras.json")).put(new RegisteredCamera(options.cameraId(),
        options.cameraId(), URI.create("http://127.0.0.1:" + options.agentPort()), token.strip(),
        java.time.Instant.now()));
  }

  private List<ManagedProcess> plan() throws IOException {
    Path data = options.dataDir();
    Path logs = data.resolve("logs");
    Path root = options.repoRoot();
    List<ManagedProcess> plan = new ArrayList<>();

    Map<String, String> uploader = common("svc-uploader", "uploader");
    // Internal services listen on loopback only; the web UI is the one door.
    uploader.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    uploader.put("MECAM_UPLOADER_CAMERAS_FILE", data.resolve("cameras.json").toString());
    uploader.put("MECAM_UPLOADER_RECIPIENTS_FILE", data.resolve("uploader-recipients.txt").toString());
    uploader.put("MECAM_UPLOADER_LOCAL_FOLDER", data.resolve("archive").toString());
    // The web UI reads stored (encrypted) media back through the uploader for cloud playback.
    uploader.put("MECAM_UPLOADER_ARCHIVE_TOKEN_FILE", secrets.file("archive-read.token").toString());
    plan.add(ManagedProcess.quarkus("uploader", root.resolve("uploader-service"), options.uploaderPort(),
        uploader, logs, "-Xmx256m"));

    Map<String, String> notifier = common("svc-notifier", "notifier");
    notifier.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    notifier.put("MECAM_NOTIFIER_LINK_SIGNING_KEY_FILE", secrets.file("link-signing.key").toString());
    notifier.put("MECAM_NOTIFIER_WEB_UI_BASE_URL", webUrl());
    plan.add(ManagedProcess.quarkus("notifier", root.resolve("notifier-service"), options.notifierPort(),
        notifier, logs, "-Xmx256m"));

    Map<String, String> web = common("svc-web-ui", "web-ui");
    web.put("MECAM_WEBUI_BOOTSTRAP_ADMIN_USER", OWNER);
    web.put("MECAM_WEBUI_BOOTSTRAP_ADMIN_PASSWORD_FILE", secrets.file("web-owner.password").toString());
    web.put("MECAM_WEBUI_API_TOKEN_FILE", secrets.file("web-api.token").toString());
    web.put("MECAM_WEBUI_LINK_SIGNING_KEY_FILE", secrets.file("link-signing.key").toString());
    web.put("MECAM_WEBUI_SECURE_COOKIES", Boolean.toString(options.webSecureCookies()));
    web.put("MECAM_WEBUI_CAMERAS_FILE", data.resolve("cameras.json").toString());
    web.put("MECAM_WEBUI_UPLOADER_URL", "http://127.0.0.1:" + options.uploaderPort());
    web.put("MECAM_WEBUI_ARCHIVE_TOKEN_FILE", secrets.file("archive-read.token").toString());
    // The owner key, encrypted under the passphrase: playback unlocks it in memory on request.
    web.put("MECAM_WEBUI_OWNER_KEY_FILE", data.resolve("secrets/owner.key").toString());
    plan.add(ManagedProcess.quarkus("web-ui", root.resolve("web-ui-service"), options.webPort(), web, logs,
        "-Xmx256m"));

    plan.add(agent(logs));
    return plan;
  }

  private Map<String, String> common(String user, String dataName) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MECAM_MQTT_URL", brokerUrl);
    env.put("MECAM_MQTT_USERNAME", user);
    env.put("MECAM_MQTT_PASSWORD_FILE", secrets.file("mqtt-" + user + ".password").toString());
    env.put("MECAM_DATA_DIR", options.dataDir().resolve(dataName).toString());
    return env;
  }

  private ManagedProcess agent(Path logs) throws IOException {
    Path jar = findAgentJar();
    String id = options.cameraId();
    List<String> cmd = new ArrayList<>(List.of(ManagedProcess.javaBinary(), "-Xmx256m", "-jar", jar.toString(),
        "--camera-id", id,
        "--source", options.agentSource(),
        "--loop",
        "--data-dir", options.dataDir().resolve("camera-" + id).toString(),
        "--mqtt-url", brokerUrl,
        "--mqtt-password-file", secrets.file("mqtt-" + id + ".password").toString(),
        "--http-bind", "127.0.0.1",
        "--http-port", Integer.toString(options.agentPort()),
        "--media-base-url", "http://127.0.0.1:" + options.agentPort(),
        "--media-token-file", secrets.file("camera-" + id + ".token").toString()));
    return new ManagedProcess("camera-" + id, cmd, Map.of(), logs.resolve("camera-" + id + ".log"),
        URI.create("http://127.0.0.1:" + options.agentPort() + "/health"));
  }

  private Path findAgentJar() throws IOException {
    Path target = options.repoRoot().resolve("camera-agent/target");
    try (var files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new IOException("no camera agent jar in " + target + "; build first"));
    }
  }

  public String webUrl() {
    return "http://localhost:" + options.webPort();
  }

  public String brokerUrl() {
    return brokerUrl;
  }

  public MqttBroker broker() {
    return broker;
  }

  public Secrets secrets() {
    return secrets;
  }

  public Path ownerPasswordFile() throws IOException {
    return secrets.file("web-owner.password");
  }

  public String apiToken() throws IOException {
    return secrets.read("web-api.token");
  }

  public ManagedProcess process(String name) {
    return processes.get(name);
  }

  /** Replaces a process with a new one (e.g. restarted after a kill), keeping the bookkeeping right. */
  public void replace(ManagedProcess p) {
    processes.put(p.name(), p);
  }

  public Map<String, ManagedProcess> processes() {
    return Map.copyOf(processes);
  }

  /** Stops the camera first (so nothing new arrives), then the services, then the broker. */
  @Override
  public void close() {
    List<ManagedProcess> order = new ArrayList<>(processes.values());
    java.util.Collections.reverse(order);
    for (ManagedProcess p : order) {
      try {
        p.stop(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (broker != null) {
      broker.close();
    }
  }
}
