package org.mecam.launcher;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mecam.testkit.FreePort;

/**
 * Debian's {@code mosquitto} binary run as a child process with the dynamic-security plugin and a
 * TLS listener, configured from a {@link FirstStart} broker directory: the launcher's own broker and
 * the broker of the tests that prove the generated configuration. Listens on loopback only, on
 * free ports (retrying when another process takes the chosen one first).
 */
public final class DynsecBroker implements AutoCloseable {
  /** Where Debian (and others) put the plugin; the multiarch directory depends on the machine. */
  private static final List<String> PLUGIN_DIRS = List.of("/usr/lib", "/usr/local/lib", "/usr/lib64",
      "/usr/lib/mosquitto", "/usr/local/lib/mosquitto");
  private static final String PLUGIN = "mosquitto_dynamic_security.so";
  private static final List<String> BINARY_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int tlsPort;
  private final int plainPort;
  private final Path logFile;

  private DynsecBroker(Process process, int tlsPort, int plainPort, Path logFile) {
    this.process = process;
    this.tlsPort = tlsPort;
    this.plainPort = plainPort;
    this.logFile = logFile;
  }

  /** The mosquitto binary ({@code MECAM_MOSQUITTO_BIN}, PATH, the usual sbin dirs), or null. */
  public static Path findBinary() {
    String override = System.getenv("MECAM_MOSQUITTO_BIN");
    if (override != null && !override.isBlank()) {
      return Files.isExecutable(Path.of(override)) ? Path.of(override) : null;
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(BINARY_DIRS);
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "mosquitto"))) {
        return Path.of(d, "mosquitto");
      }
    }
    return null;
  }

  /** The dynamic-security plugin ({@code MECAM_MOSQUITTO_DYNSEC_PLUGIN} or the usual lib dirs), or null. */
  public static Path findPlugin() {
    String override = System.getenv("MECAM_MOSQUITTO_DYNSEC_PLUGIN");
    if (override != null && !override.isBlank()) {
      return Files.isRegularFile(Path.of(override)) ? Path.of(override) : null;
    }
    for (String d : PLUGIN_DIRS) {
      Path dir = Path.of(d);
      if (Files.isRegularFile(dir.resolve(PLUGIN))) {
        return dir.resolve(PLUGIN);
      }
      if (!Files.isDirectory(dir)) {
        continue;
      }
      // Debian multiarch: /usr/lib/x86_64-linux-gnu/, /usr/lib/aarch64-linux-gnu/, ...
      try (DirectoryStream<Path> sub = Files.newDirectoryStream(dir, "*-linux-gnu*")) {
        for (Path s : sub) {
          if (Files.isRegularFile(s.resolve(PLUGIN))) {
            return s.resolve(PLUGIN);
          }
        }
      } catch (IOException e) {
        // unreadable: try the next
      }
    }
    return null;
  }

  /**
   * Starts Mosquitto with {@code brokerDir}'s {@code dynamic-security.json}, {@code server.crt} and
   * {@code server.key}: a TLS listener on 127.0.0.1 and, when {@code plainLoopback}, also a plain
   * listener on 127.0.0.1 (for programs on this machine). {@code stateDir} receives the generated
   * mosquitto.conf, the log and the persistence file.
   */
  public static DynsecBroker start(Path brokerDir, Path stateDir, boolean plainLoopback, boolean persistence)
      throws IOException {
    Path binary = findBinary();
    if (binary == null) {
      throw new IOException("no mosquitto binary (install Debian's mosquitto package, or set MECAM_MOSQUITTO_BIN)");
    }
    Path plugin = findPlugin();
    if (plugin == null) {
      throw new IOException("no " + PLUGIN + " (it ships with Debian's mosquitto 2.0 package)");
    }
    Files.createDirectories(stateDir.resolve("data"));
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int tls = FreePort.find();
      int plain = plainLoopback ? FreePort.find() : -1;
      try {
        return startOn(binary, plugin, brokerDir, stateDir, tls, plain, persistence);
      } catch (PortTaken e) {
        last = e; // someone bound it between FreePort and Mosquitto: try new ports
      }
    }
    throw last;
  }

  private static DynsecBroker startOn(Path binary, Path plugin, Path brokerDir, Path stateDir, int tls, int plain,
      boolean persistence) throws IOException {
    Path conf = stateDir.resolve("mosquitto.conf");
    Path log = stateDir.resolve("mosquitto.log");
    StringBuilder c = new StringBuilder();
    c.append("# Generated by org.mecam.launcher.DynsecBroker at every start.\n");
    // Started as root, Mosquitto would drop to the 'mosquitto' user, which cannot read our files.
    c.append("user ").append(System.getProperty("user.name")).append('\n');
    c.append("per_listener_settings false\n");
    c.append("allow_anonymous false\n");
    c.append("plugin ").append(plugin).append('\n');
    c.append("plugin_opt_config_file ").append(brokerDir.toAbsolutePath().resolve("dynamic-security.json")).append('\n');
    c.append("persistence ").append(persistence).append('\n');
    c.append("persistence_location ").append(stateDir.toAbsolutePath().resolve("data")).append("/\n");
    c.append("autosave_interval 2\n");
    c.append("persistent_client_expiration 30d\n");
    c.append("max_queued_messages 10000\n");
    c.append("max_packet_size 2097152\n");
    c.append("set_tcp_nodelay true\n");
    c.append("log_dest stderr\n");
    c.append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
    c.append("log_timestamp true\nlog_timestamp_format %Y-%m-%dT%H:%M:%S\n");
    c.append("connection_messages true\n");
    c.append("listener ").append(tls).append(" 127.0.0.1\n");
    c.append("certfile ").append(brokerDir.toAbsolutePath().resolve("server.crt")).append('\n');
    c.append("keyfile ").append(brokerDir.toAbsolutePath().resolve("server.key")).append('\n');
    c.append("tls_version tlsv1.2\n");
    if (plain > 0) {
      c.append("listener ").append(plain).append(" 127.0.0.1\n");
    }
    Files.writeString(conf, c.toString(), StandardCharsets.UTF_8);
    long offset = Files.exists(log) ? Files.size(log) : 0;
    Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    DynsecBroker broker = new DynsecBroker(p, tls, plain, log);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!(accepts(tls) && (plain < 0 || accepts(plain)))) {
      if (!p.isAlive()) {
        String text = broker.logSince(offset);
        if (text.toLowerCase().contains("address already in use")) {
          throw new PortTaken(text);
        }
        throw new IOException("mosquitto exited with " + p.exitValue() + " on start:\n" + text);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("mosquitto did not listen within " + START_TIMEOUT + ":\n" + broker.logSince(offset));
      }
      try {
        // Polling a port another process binds: there is no event to wait on.
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted while starting mosquitto", e);
      }
    }
    return broker;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code ssl://localhost:<port>}: the name matches the server certificate's SANs. */
  public String tlsUrl() {
    return "ssl://localhost:" + tlsPort;
  }

  /** {@code tcp://127.0.0.1:<port>}, or null without a plain listener. */
  public String plainUrl() {
    return plainPort > 0 ? "tcp://127.0.0.1:" + plainPort : null;
  }

  public int tlsPort() {
    return tlsPort;
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** The log written since {@code offset} bytes. */
  public String logSince(long offset) {
    try {
      byte[] all = Files.readAllBytes(logFile);
      int from = (int) Math.min(offset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (Mosquitto saves its state and dynsec file), then SIGKILL after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static final class PortTaken extends IOException {
    PortTaken(String log) {
      super("port taken:\n" + log);
    }
  }

}
