package org.mecam.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker permissions of the service credentials, read from the repository's {@code mosquitto/acl}
 * (copied into the launcher jar at build time): its {@code user} sections are the one source of
 * truth. {@link FirstStart} turns them into dynamic-security roles, and {@code MosquittoAclTest}
 * proves the same file on a plain {@code acl_file} broker, so the two broker setups cannot drift.
 * The file's {@code pattern} lines (per camera) are not read here: cameras get their roles from
 * {@code org.mecam.cameras.CameraBrokerAcl} when the web UI adds them.
 */
public final class ServiceBrokerAcl {
  /** What a grant allows, in {@code acl_file} terms: read = subscribe and receive, write = publish. */
  public enum Access { READ, WRITE }

  /** One grant: {@code topic} may contain MQTT wildcards. */
  public record Grant(Access access, String topic) {}

  /** The dynamic-security control topic; only the web UI's credential may use it (it adds cameras). */
  public static final String DYNSEC_CONTROL = "$CONTROL/dynamic-security/v1";
  public static final String DYNSEC_RESPONSE = DYNSEC_CONTROL + "/response";

  public static final String UPLOADER = "svc-uploader";
  public static final String NOTIFIER = "svc-notifier";
  public static final String WEB_UI = "svc-web-ui";
  public static final String ADMIN = "svc-admin";

  /** The resource {@code mosquitto/acl} is copied to. */
  static final String RESOURCE = "/org/mecam/launcher/acl";

  private static final Map<String, List<Grant>> SERVICES = load();

  private ServiceBrokerAcl() {}

  private static Map<String, List<Grant>> load() {
    try (InputStream in = ServiceBrokerAcl.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " (the repository's mosquitto/acl) is missing"
            + " from the launcher jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code user} sections of an {@code acl_file}: {@code topic [read|write|readwrite] <topic>}
   * lines after a {@code user} line, in file order. Unknown line kinds are refused.
   */
  static Map<String, List<Grant>> parse(String aclFile) {
    Map<String, List<Grant>> users = new LinkedHashMap<>();
    List<Grant> current = null;
    int n = 0;
    for (String raw : aclFile.split("\n", -1)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.split("\\s+", 3);
      switch (w[0]) {
        case "user" -> {
          current = new ArrayList<>();
          users.put(line.substring(4).strip(), current);
        }
        case "pattern" -> current = null; // per-client lines: not a service's
        case "topic" -> {
          if (current == null) {
            throw new IllegalArgumentException("acl line " + n + ": a topic line outside a user section: " + line);
          }
          String access = w.length == 3 ? w[1] : "readwrite";
          String topic = w.length == 3 ? w[2] : w[1];
          switch (access) {
            case "read" -> current.add(read(topic));
            case "write" -> current.add(write(topic));
            case "readwrite" -> {
              current.add(read(topic));
              current.add(write(topic));
            }
            default -> throw new IllegalArgumentException("acl line " + n + ": unknown access " + access);
          }
        }
        default -> throw new IllegalArgumentException("acl line " + n + ": unknown line: " + line);
      }
    }
    Map<String, List<Grant>> frozen = new LinkedHashMap<>();
    users.forEach((u, g) -> frozen.put(u, List.copyOf(g)));
    return Collections.unmodifiableMap(frozen);
  }

  /** The service user names in file order; always includes the four of TEAM contract 3. */
  public static List<String> services() {
    return List.copyOf(SERVICES.keySet());
  }

  /** The grants of one service as in {@code mosquitto/acl} (without the dynsec control topics). */
  public static List<Grant> grants(String service) {
    List<Grant> g = SERVICES.get(service);
    if (g == null) {
      throw new IllegalArgumentException("unknown service user " + service);
    }
    return g;
  }

  /**
   * The grants of one service on the dynamic-security broker: {@link #grants} plus, for the web UI,
   * publishing to {@link #DYNSEC_CONTROL} and reading {@link #DYNSEC_RESPONSE}.
   */
  public static List<Grant> dynsecGrants(String service) {
    List<Grant> g = new ArrayList<>(grants(service));
    if (service.equals(WEB_UI)) {
      g.add(write(DYNSEC_CONTROL));
      g.add(read(DYNSEC_RESPONSE));
    }
    return g;
  }

  private static Grant read(String topic) {
    return new Grant(Access.READ, topic);
  }

  private static Grant write(String topic) {
    return new Grant(Access.WRITE, topic);
  }
}
