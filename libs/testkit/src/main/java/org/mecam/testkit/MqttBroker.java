package org.mecam.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A throw-away MQTT broker for tests: the real {@code mosquitto} binary with its own generated
 * config on a free loopback port, which a test can stop, {@code kill -9} and restart; embedded
 * HiveMQ CE only where no binary exists (and never when {@code MECAM_REQUIRE_MOSQUITTO=true}).
 */
public final class MqttBroker implements AutoCloseable {

  /** Set to {@code true} by CI so that a missing binary fails the run instead of falling back. */
  public static final String REQUIRE_MOSQUITTO_ENV = "MECAM_REQUIRE_MOSQUITTO";

  static final System.Logger LOG = System.getLogger(MqttBroker.class.getName());

  private final Backend backend;
  private final Path workDir;
  private final Thread reaper;
  private boolean closed;

  private MqttBroker(Backend backend, Path workDir) {
    this.backend = backend;
    this.workDir = workDir;
    // A test that forgets close() (or a JVM stopped by Ctrl-C) must not leave a broker holding ports.
    this.reaper = new Thread(backend::killQuietly, "mqtt-broker-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts describing a broker; see {@link Builder} for the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Always the loopback address: test brokers are never reachable from the network. */
  public String host() {
    return "127.0.0.1";
  }

  /** The listener port; it stays the same across {@link #restart()}. */
  public int port() {
    return backend.port();
  }

  /** The URL Paho and the SmallRye connector understand, {@code tcp://127.0.0.1:<port>}. */
  public String url() {
    return "tcp://" + host() + ":" + port();
  }

  /** True when this is the real Mosquitto binary rather than the embedded HiveMQ fallback. */
  public boolean isRealMosquitto() {
    return backend instanceof MosquittoBackend;
  }

  /** Stops the broker gracefully (SIGTERM, so Mosquitto writes its persistence file) and waits. */
  public synchronized void stop() {
    backend.stop();
  }

  /**
   * Kills the broker without warning ({@code kill -9}) and waits until it is gone; whatever the last
   * autosave (about every two seconds) did not write is lost, as on a power cut. The embedded fallback cannot
   * be killed inside this JVM, so there it is stopped instead.
   */
  public synchronized void kill() {
    backend.kill();
  }

  /**
   * Waits until the broker has saved its persistence file after this call began (Mosquitto
   * autosaves about every two seconds), so that everything it acknowledged before the call survives a
   * following {@link #kill()}; returns at once on the embedded fallback, whose kill is a stop.
   */
  public synchronized void awaitAutosave() {
    backend.awaitAutosave();
  }

  /** Starts the broker again on the same port with the same config and persistence directory. */
  public synchronized void restart() {
    if (backend.isRunning()) {
      backend.stop();
    }
    backend.start();
  }

  /** The broker's log file (Mosquitto's own log at {@code log_type all}); handy in failure messages. */
  public Path logFile() {
    return backend.logFile();
  }

  /** Stops the broker and deletes its temporary directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      backend.stop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook runs anyway; nothing to undo.
      }
      deleteRecursively(workDir);
    }
  }

  @Override
  public String toString() {
    return (isRealMosquitto() ? "mosquitto" : "embedded HiveMQ") + " at " + url();
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete broker directory " + dir + ": " + e);
    }
  }

  /**
   * Describes a test broker; defaults: anonymous clients allowed, no users, no ACL, persistence on,
   * a free loopback port and a fresh temporary directory.
   */
  public static final class Builder {
    private boolean allowAnonymous = true;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Path aclFile;
    private String aclText;
    private boolean persistence = true;
    private int port;
    private boolean requireRealMosquitto;
    private boolean forceEmbedded;
    private String extraConfig = "";

    private Builder() {}

    /**
     * Appends these lines to the generated {@code mosquitto.conf}, e.g. {@code plugin} and
     * {@code plugin_opt_config_file} for the dynamic security plugin; implies real Mosquitto.
     */
    public Builder extraConfig(String lines) {
      this.extraConfig = Objects.requireNonNull(lines, "lines");
      this.requireRealMosquitto = true;
      return this;
    }

    /** For the test kit's own tests: exercise the embedded fallback even where Mosquitto exists. */
    Builder forceEmbedded() {
      this.forceEmbedded = true;
      return this;
    }

    /** Whether clients without a username may connect (default true, as is handy in unit tests). */
    public Builder allowAnonymous(boolean allow) {
      this.allowAnonymous = allow;
      return this;
    }

    /** Adds a user to the broker's password file (written with {@code mosquitto_passwd -b}). */
    public Builder user(String username, String password) {
      users.put(Objects.requireNonNull(username, "username"), Objects.requireNonNull(password));
      return this;
    }

    /** Uses this Mosquitto ACL file as is, e.g. the repository's {@code mosquitto/acl}. */
    public Builder aclFile(Path aclFile) {
      this.aclFile = aclFile.toAbsolutePath().normalize();
      this.aclText = null;
      return this;
    }

    /** Uses these lines (Mosquitto ACL syntax) as the ACL file. */
    public Builder aclText(String acl) {
      this.aclText = Objects.requireNonNull(acl, "acl");
      this.aclFile = null;
      return this;
    }

    /**
     * Whether sessions and queued QoS 1 messages survive a restart (default true); the autosave
     * runs about every two seconds, and {@link MqttBroker#awaitAutosave()} waits for one so that a
     * following {@code kill -9} loses nothing.
     */
    public Builder persistence(boolean on) {
      this.persistence = on;
      return this;
    }

    /** Listens on this port instead of a free one (0 means pick a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Fails {@link #start()} instead of falling back to embedded HiveMQ when no Mosquitto binary
     * exists; for tests whose point is Mosquitto's own behaviour, such as its ACLs.
     */
    public Builder requireRealMosquitto(boolean require) {
      this.requireRealMosquitto = require;
      return this;
    }

    /** Starts the broker and returns once its port accepts connections. */
    public MqttBroker start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("mecam-broker-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a broker directory", e);
      }
      BrokerConfig config =
          new BrokerConfig(
              dir, allowAnonymous, Map.copyOf(users), aclFile, aclText, persistence, port, extraConfig);
      Backend backend;
      try {
        Path binary = forceEmbedded ? null : MosquittoBackend.findBinary();
        if (binary != null) {
          backend = MosquittoBackend.start(binary, config);
        } else {
          boolean required =
              requireRealMosquitto
                  || "true".equalsIgnoreCase(System.getenv(REQUIRE_MOSQUITTO_ENV));
          if (required && !forceEmbedded) {
            throw new IllegalStateException(
                "no mosquitto binary found (looked on PATH and in "
                    + MosquittoBackend.FALLBACK_DIRS
                    + ") and real Mosquitto is required"
                    + (requireRealMosquitto ? " by this test" : " (" + REQUIRE_MOSQUITTO_ENV + "=true)")
                    + "; install it, e.g. apt-get install mosquitto mosquitto-clients");
          }
          LOG.log(
              Level.WARNING,
              forceEmbedded
                  ? "embedded HiveMQ forced by the test kit's own test"
                  : "no mosquitto binary found, using embedded HiveMQ (CI must use real Mosquitto)");
          backend = EmbeddedHiveMqBackend.start(config);
        }
      } catch (RuntimeException e) {
        deleteRecursively(dir);
        throw e;
      }
      return new MqttBroker(backend, dir);
    }
  }

  /** Everything a backend needs to (re)start, fixed at build time. */
  record BrokerConfig(
      Path dir,
      boolean allowAnonymous,
      Map<String, String> users,
      Path aclFile,
      String aclText,
      boolean persistence,
      int port,
      String extraConfig) {

    Path aclPath() throws IOException {
      if (aclFile != null) {
        if (!Files.isReadable(aclFile)) {
          throw new IOException("ACL file not readable: " + aclFile);
        }
        return aclFile;
      }
      if (aclText != null) {
        Path file = dir.resolve("acl");
        Files.writeString(file, aclText, StandardCharsets.UTF_8);
        return file;
      }
      return null;
    }
  }

  /** What differs between the real Mosquitto process and the embedded fallback. */
  interface Backend {
    int port();

    boolean isRunning();

    void start();

    void stop();

    void kill();

    void killQuietly();

    void awaitAutosave();

    Path logFile();
  }
}
