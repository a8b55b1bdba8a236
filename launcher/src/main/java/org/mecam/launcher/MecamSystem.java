package org.mecam.launcher;

import java.io.IOException;
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
import org.mecam.secrets.SecretFiles;
import org.mecam.testkit.MqttBroker;

/**
 * The whole mecam system on one machine: its own credentialed broker (Debian's Mosquitto with the
 * dynamic-security plugin and a TLS listener, on free loopback ports; an embedded broker only when no
 * Mosquitto is installed; another broker only when {@code brokerUrl} names it), the three services and
 * one camera agent as child processes. Secrets and certificates come from {@link FirstStart}, the same
 * generator compose's init runs, into 0600 files under the data directory; client ids carry this
 * installation's id, so two installations on one broker never share a persistent session.
 */
public final class MecamSystem implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MecamSystem.class.getName());
  public static final String OWNER = "owner";

  /** Where things are and which ports to use; {@code brokerUrl} null = start our own broker. */
  public record Options(Path repoRoot, Path dataDir, String brokerUrl, int webPort,
      int uploaderPort, int notifierPort, int agentPort, String cameraId, String agentSource,
      boolean webSecureCookies) {
    public Options {
      repoRoot = repoRoot.toAbsolutePath().normalize();
      dataDir = dataDir.toAbsolutePath().normalize();
    }
  }

  /** The broker the system runs on, as tests see it. */
  public interface RunningBroker {
    /** Debian's Mosquitto (dynsec + TLS) rather than the embedded fallback or someone else's broker. */
    boolean isRealMosquitto();
  }

  private final Options options;
  private final Secrets secrets;
  private final FirstStart.Dirs dirs;
  private final String installationId;
  private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
  private DynsecBroker dynsec;
  private MqttBroker embedded;
  /** For local tools and tests: a loopback URL with no TLS. */
  private String brokerUrl;
  /** What the programs dial: TLS with the pinned CA on our own broker. */
  private String programUrl;
  private Path caFile;
  private int tlsPort;

  private MecamSystem(Options options) throws IOException {
    this.options = options;
    this.secrets = new Secrets(options.dataDir().resolve("secrets"));
    Path d = options.dataDir();
    this.dirs = new FirstStart.Dirs(d.resolve("broker"), d.resolve("uploader-secrets"),
        d.resolve("notifier-secrets"), d.resolve("webui-secrets"));
    this.installationId = SecretFiles.readOrCreateRandom(d.resolve("installation-id"), "installation id", 6)
        .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "x");
  }

  /** Starts everything and waits until every service reports ready. */
  public static MecamSystem start(Options options, Duration readyTimeout) throws Exception {
    MecamSystem s = new MecamSystem(options);
    try {
      for (String line : FirstStart.run(s.dirs, List.of())) {
        LOG.info("first start: " + line);
      }
      s.startBroker();
      s.prepareKeys();
      s.registerCamera();
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
      programUrl = brokerUrl;
      LOG.warning("using the broker at " + brokerUrl + " as told: it must know the mecam users (passwords in "
          + dirs.broker() + " and the services' secret dirs) and their ACLs; the demo camera is not registered");
      return;
    }
    if (DynsecBroker.findBinary() != null && DynsecBroker.findPlugin() != null) {
      dynsec = DynsecBroker.start(dirs.broker(), options.dataDir().resolve("broker-state"), true, true);
      brokerUrl = dynsec.plainUrl();
      programUrl = dynsec.tlsUrl();
      caFile = dirs.webui().resolve("broker-ca.crt");
      tlsPort = dynsec.tlsPort();
      LOG.info("started Mosquitto with dynamic security: TLS " + programUrl + " (programs, CA " + caFile
          + "), plain " + brokerUrl + " (local tools); log " + dynsec.logFile());
      return;
    }
    MqttBroker.Builder b = MqttBroker.builder().allowAnonymous(false);
    for (String user : ServiceBrokerAcl.services()) {
      b.user(user, SecretFiles.read(FirstStart.passwordFile(dirs, user), user + " password"));
    }
    b.user(options.cameraId(), secrets.read("mqtt-" + options.cameraId() + ".password"));
    embedded = b.start();
    brokerUrl = embedded.url();
    programUrl = brokerUrl;
    LOG.warning("no mosquitto (with mosquitto_dynamic_security.so) installed: started an EMBEDDED broker on "
        + brokerUrl + ". It checks passwords but enforces no ACL, has no TLS, and cameras cannot be added in"
        + " the web UI (that needs the dynamic-security plugin). Install Debian's mosquitto package.");
  }

  /** The demo camera: its broker credential via dynsec (as the web UI adds cameras) and the registry entry. */
  private void registerCamera() throws IOException {
    String id = options.cameraId();
    if (dynsec != null) {
      DynsecCameras.register(brokerUrl, SecretFiles.read(FirstStart.passwordFile(dirs, ServiceBrokerAcl.WEB_UI),
          "web UI broker password"), id, secrets.read("mqtt-" + id + ".password"));
    }
    String token = secrets.read("camera-" + id + ".token");
    new CameraRegistry(camerasFile()).put(new RegisteredCamera(id, "Demo camera (" + id + ")",
        URI.create("http://127.0.0.1:" + options.agentPort()), token, java.time.Instant.now()));
  }

  private Path camerasFile() throws IOException {
    Path shared = options.dataDir().resolve("shared");
    Files.createDirectories(shared);
    return shared.resolve("cameras.json");
  }

  // The archive key: the uploader gets only the public half; the private half stays encrypted
  // under a passphrase that this local run keeps in a 0600 file (a real owner keeps it in their head).
  private void prepareKeys() throws IOException {
    Path keyFile = options.dataDir().resolve("secrets/owner.key");
    // Where compose's web UI writes it at setup: the shared directory the uploader reads.
    Path recipients = archivePublicKeyFile();
    Path before = options.dataDir().resolve("uploader-recipients.txt"); // earlier launcher versions
    if (Files.exists(keyFile) && !Files.exists(recipients) && Files.exists(before)) {
      Files.copy(before, recipients);
    }
    if (!Files.exists(keyFile)) {
      char[] passphrase = secrets.read("archive-passphrase").toCharArray();
      OwnerKeyPair pair = OwnerKeyPair.generate();
      OwnerKeyFile.create(keyFile, pair, passphrase, KdfParams.argon2idForTests());
      Files.writeString(recipients, pair.recipient().toText() + "\n", StandardCharsets.UTF_8);
      pair.destroy();
    }
  }

  private List<ManagedProcess> plan() throws IOException {
    Path logs = options.dataDir().resolve("logs");
    Path root = options.repoRoot();
    Map<String, Map<String, String>> env = environments();
    List<ManagedProcess> plan = new ArrayList<>();
    plan.add(ManagedProcess.quarkus("uploader", root.resolve("uploader-service"), options.uploaderPort(),
        env.get("uploader"), logs, "-Xmx256m"));
    plan.add(ManagedProcess.quarkus("notifier", root.resolve("notifier-service"), options.notifierPort(),
        env.get("notifier"), logs, "-Xmx256m"));
    plan.add(ManagedProcess.quarkus("web-ui", root.resolve("web-ui-service"), options.webPort(), env.get("web-ui"),
        logs, "-Xmx256m"));
    plan.add(agent(logs));
    return plan;
  }

  /**
   * The environment of each server program ("uploader", "notifier", "web-ui"): what
   * {@code LauncherComposeTopologyTest} compares with docker-compose.yml's, name by name.
   */
  Map<String, Map<String, String>> environments() throws IOException {
    Path data = options.dataDir();
    Map<String, Map<String, String>> all = new LinkedHashMap<>();

    Map<String, String> uploader = common("svc-uploader", "uploader");
    // Internal services listen on loopback only; the web UI is the one door.
    uploader.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    uploader.put("QUARKUS_HTTP_PORT", Integer.toString(options.uploaderPort()));
    uploader.put("MECAM_UPLOADER_CAMERAS_FILE", camerasFile().toString());
    uploader.put("MECAM_UPLOADER_RECIPIENTS_FILE", archivePublicKeyFile().toString());
    uploader.put("MECAM_UPLOADER_LOCAL_FOLDER", data.resolve("archive").toString());
    // The web UI reads stored (encrypted) media back through the uploader for cloud playback.
    uploader.put("MECAM_UPLOADER_ARCHIVE_TOKEN_FILE", dirs.uploader().resolve("archive-read.token").toString());
    all.put("uploader", uploader);

    Map<String, String> notifier = common("svc-notifier", "notifier");
    notifier.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    notifier.put("QUARKUS_HTTP_PORT", Integer.toString(options.notifierPort()));
    notifier.put("MECAM_NOTIFIER_LINK_SIGNING_KEY_FILE", dirs.notifier().resolve("link.key").toString());
    notifier.put("MECAM_NOTIFIER_WEB_UI_BASE_URL", webUrl());
    all.put("notifier", notifier);

    Map<String, String> web = common("svc-web-ui", "web-ui");
    web.put("QUARKUS_HTTP_PORT", Integer.toString(options.webPort()));
    web.put("MECAM_WEBUI_BOOTSTRAP_ADMIN_USER", OWNER);
    web.put("MECAM_WEBUI_BOOTSTRAP_ADMIN_PASSWORD_FILE", secrets.file("web-owner.password").toString());
    web.put("MECAM_WEBUI_API_TOKEN_FILE", secrets.file("web-api.token").toString());
    web.put("MECAM_WEBUI_LINK_SIGNING_KEY_FILE", dirs.webui().resolve("link.key").toString());
    web.put("MECAM_WEBUI_SECURE_COOKIES", Boolean.toString(options.webSecureCookies()));
    web.put("MECAM_WEBUI_CAMERAS_FILE", camerasFile().toString());
    web.put("MECAM_WEBUI_ARCHIVE_PUBLIC_KEY_FILE", archivePublicKeyFile().toString());
    if (tlsPort > 0) {
      // Agent configs the web UI hands out pin this CA and name the TLS port.
      web.put("MECAM_WEBUI_BROKER_CA_FILE", caFile.toString());
      web.put("MECAM_WEBUI_BROKER_PUBLIC_PORT", Integer.toString(tlsPort));
    }
    web.put("MECAM_WEBUI_UPLOADER_URL", "http://127.0.0.1:" + options.uploaderPort());
    web.put("MECAM_WEBUI_ARCHIVE_TOKEN_FILE", dirs.webui().resolve("archive-read.token").toString());
    // The owner key, encrypted under the passphrase: playback unlocks it in memory on request.
    web.put("MECAM_WEBUI_OWNER_KEY_FILE", data.resolve("secrets/owner.key").toString());
    all.put("web-ui", web);
    return all;
  }

  /** A system that is planned, not started, as if on its own dynsec broker: for topology tests. */
  static MecamSystem planned(Options options) throws IOException {
    MecamSystem s = new MecamSystem(options);
    s.programUrl = "ssl://localhost:8883";
    s.brokerUrl = "tcp://127.0.0.1:1883";
    s.caFile = s.dirs.webui().resolve("broker-ca.crt");
    s.tlsPort = 8883;
    return s;
  }

  private Path archivePublicKeyFile() throws IOException {
    return camerasFile().resolveSibling("archive-key.pub");
  }

  private Map<String, String> common(String user, String dataName) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MECAM_MQTT_URL", programUrl);
    if (caFile != null) {
      env.put("MECAM_MQTT_CA_FILE", caFile.toString());
    }
    env.put("MECAM_MQTT_USERNAME", user);
    env.put("MECAM_MQTT_PASSWORD_FILE", FirstStart.passwordFile(dirs, user).toString());
    // Unique per installation: a shared broker must never hand one installation's session to another.
    env.put("MECAM_MQTT_CLIENT_ID", "mecam-" + installationId + "-" + dataName);
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
        "--mqtt-url", programUrl,
        "--mqtt-password-file", secrets.file("mqtt-" + id + ".password").toString(),
        "--http-bind", "127.0.0.1",
        "--http-port", Integer.toString(options.agentPort()),
        "--media-base-url", "http://127.0.0.1:" + options.agentPort(),
        "--media-token-file", secrets.file("camera-" + id + ".token").toString()));
    if (caFile != null) {
      cmd.addAll(List.of("--mqtt-ca-file", caFile.toString()));
    }
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

  public RunningBroker broker() {
    return () -> dynsec != null;
  }

  /** The broker password of a service ({@code svc-*}) or of the demo camera. */
  public String mqttPassword(String user) {
    if (ServiceBrokerAcl.services().contains(user)) {
      return SecretFiles.read(FirstStart.passwordFile(dirs, user), user + " password");
    }
    return secrets.read("mqtt-" + user + ".password");
  }

  /** Where FirstStart put this run's broker, service secrets and certificates. */
  public FirstStart.Dirs dirs() {
    return dirs;
  }

  /** The archive passphrase's file (a real owner keeps it in their head; this local run keeps it here). */
  public Path archivePassphraseFile() {
    return secrets.file("archive-passphrase");
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
    if (dynsec != null) {
      dynsec.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
