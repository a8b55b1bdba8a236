package org.mecam.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mecam.secrets.SecretFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Creates every secret and certificate an installation needs before its first start, and only what
 * is missing, so it is safe to run on every start: by compose's {@code init} service and by
 * {@code ./run.sh}, with the same code (TEAM contract 6).
 *
 * <p>Secrets are 0600 files written through {@link SecretFiles}; certificates are 0644. It prints the
 * names of the files it creates and never their content.
 */
@Command(name = "mecam-first-start", mixinStandardHelpOptions = true,
    description = "Creates the broker, uploader, notifier and web UI secrets and certificates that are missing.")
public final class FirstStart implements Callable<Integer> {
  /** The broker credentials' random size: 24 bytes = 32 base64url characters. */
  static final int PASSWORD_BYTES = 24;

  @Option(names = "--broker-dir", required = true, description = "Broker config: dynamic-security.json, CA, TLS pair.")
  Path brokerDir;

  @Option(names = "--uploader-dir", required = true, description = "Uploader secrets.")
  Path uploaderDir;

  @Option(names = "--notifier-dir", required = true, description = "Notifier secrets.")
  Path notifierDir;

  @Option(names = "--webui-dir", required = true, description = "Web UI secrets.")
  Path webuiDir;

  @Option(names = "--hostnames", split = ",",
      description = "Names and addresses the broker and web UI are reached by (besides localhost), e.g. "
          + "mecam.lan,192.168.1.10. Used only when the certificates are first made.")
  List<String> hostnames = new ArrayList<>();

  private final List<String> report = new ArrayList<>();

  /** The directories FirstStart fills. */
  public record Dirs(Path broker, Path uploader, Path notifier, Path webui) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new FirstStart()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<String> done = run(new Dirs(brokerDir, uploaderDir, notifierDir, webuiDir), hostnames);
    if (done.isEmpty()) {
      System.out.println("first start: everything was already there");
    }
    for (String line : done) {
      System.out.println("first start: " + line);
    }
    return 0;
  }

  /** Creates what is missing; returns one line per thing done (no secrets). */
  public static List<String> run(Dirs dirs, List<String> hostnames) throws IOException {
    FirstStart f = new FirstStart();
    f.generate(dirs, hostnames == null ? List.of() : hostnames);
    return List.copyOf(f.report);
  }

  private void generate(Dirs d, List<String> hostnames) throws IOException {
    for (Path dir : List.of(d.broker(), d.uploader(), d.notifier(), d.webui())) {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        setMode(dir, "rwx------");
      }
    }
    // One broker credential per service, each only in its own program's directory.
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String user : ServiceBrokerAcl.services()) {
      passwords.put(user, secret(passwordFile(d, user)));
    }
    report.addAll(DynsecFile.reconcile(d.broker().resolve("dynamic-security.json"), passwords));

    // Shared secrets: the same bytes in two programs' directories.
    shared("archive-read token", d.uploader().resolve("archive-read.token"), d.webui().resolve("archive-read.token"));
    shared("link signing key", d.notifier().resolve("link.key"), d.webui().resolve("link.key"));

    Set<String> names = new LinkedHashSet<>();
    for (String h : hostnames) {
      if (!h.isBlank()) {
        names.add(h.strip());
      }
    }
    names.add("localhost");
    names.add("127.0.0.1");
    names.add("::1");
    LocalCa ca = ca(d.broker().resolve("ca.crt"), d.broker().resolve("ca.key"));
    Set<String> brokerNames = new LinkedHashSet<>(names);
    brokerNames.add("mosquitto");
    leaf(ca, "mecam broker", brokerNames, d.broker().resolve("server.crt"), d.broker().resolve("server.key"));
    leaf(ca, "mecam web UI", names, d.webui().resolve("https.crt"), d.webui().resolve("https.key"));
    Path caCopy = d.webui().resolve("broker-ca.crt");
    if (!Files.exists(caCopy) || !Files.readString(caCopy).equals(ca.certificatePem())) {
      writePublic(caCopy, ca.certificatePem());
      report.add("wrote " + caCopy);
    }
  }

  /**
   * Where a service's broker password lives: in its program's directory as {@code mqtt.password},
   * or, for a user with no program here (svc-admin, any other {@code user} of mosquitto/acl), in the
   * broker directory as {@code <user>.password}.
   */
  public static Path passwordFile(Dirs d, String user) {
    return switch (user) {
      case ServiceBrokerAcl.UPLOADER -> d.uploader().resolve("mqtt.password");
      case ServiceBrokerAcl.NOTIFIER -> d.notifier().resolve("mqtt.password");
      case ServiceBrokerAcl.WEB_UI -> d.webui().resolve("mqtt.password");
      default -> d.broker().resolve(user + ".password");
    };
  }

  private String secret(Path file) {
    boolean existed = Files.exists(file);
    String value = SecretFiles.readOrCreateRandom(file, file.getFileName().toString(), PASSWORD_BYTES);
    if (!existed) {
      report.add("created " + file);
    }
    return value;
  }

  /** Makes both files hold the same secret: the one that exists, else a new one. */
  private void shared(String what, Path a, Path b) throws IOException {
    String va = Files.exists(a) ? SecretFiles.read(a, what) : null;
    String vb = Files.exists(b) ? SecretFiles.read(b, what) : null;
    if (va != null && vb != null) {
      if (!va.equals(vb)) {
        throw new IOException("the " + what + " files " + a + " and " + b + " differ; delete the wrong one"
            + " (or both, to make a new one) and start again");
      }
      return;
    }
    String value = va != null ? va : vb != null ? vb : SecretFiles.randomToken(32);
    for (Path f : List.of(a, b)) {
      if (!Files.exists(f)) {
        SecretFiles.readOrCreate(f, what, () -> value);
        report.add("created " + f);
      }
    }
  }

  private LocalCa ca(Path cert, Path key) throws IOException {
    if (Files.exists(cert) && Files.exists(key)) {
      SecretFiles.checkPermissions(key, "CA key", SecretFiles.Access.OWNER_ONLY);
      return LocalCa.load(cert, key);
    }
    if (Files.exists(cert) || Files.exists(key)) {
      throw new IOException("only one of " + cert + " and " + key + " exists; restore the other or delete both"
          + " (then every camera needs its configuration downloaded again)");
    }
    LocalCa ca = LocalCa.create("mecam local CA " + SecretFiles.randomToken(6));
    SecretFiles.write(key, ca.keyPem());
    writePublic(cert, ca.certificatePem());
    report.add("created a new CA: " + cert);
    return ca;
  }

  private void leaf(LocalCa ca, String cn, Set<String> names, Path cert, Path key) throws IOException {
    if (Files.exists(cert) && Files.exists(key)) {
      return;
    }
    LocalCa.Issued issued = ca.issueServer(cn, names);
    SecretFiles.write(key, issued.keyPem());
    writePublic(cert, issued.certificatePem());
    report.add("created " + cert + " for " + String.join(", ", names));
  }

  /** Writes a non-secret file (a certificate) atomically with mode 0644. */
  static void writePublic(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      setMode(tmp, "rw-r--r--");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void setMode(Path p, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to set
    }
  }
}
