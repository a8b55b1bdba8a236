package org.mecam.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker permissions of the four service credentials: the one source of truth for them.
 *
 * <p>{@link FirstStart} turns these into dynamic-security roles; the {@code user} sections of
 * {@code mosquitto/acl} (kept for brokers run with a plain {@code acl_file}, e.g. an existing
 * Mosquitto) must equal {@link #aclFileSection}, which {@code ServiceBrokerAclTest} checks, so the
 * file cannot drift from this class. The per-camera permissions are not here: they belong to
 * {@code org.mecam.cameras.CameraBrokerAcl}.
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

  private static final Map<String, List<Grant>> SERVICES = new LinkedHashMap<>();

  static {
    // Uploader: pulls media off cameras, reports results, raises alerts.
    SERVICES.put(UPLOADER, List.of(
        read("mecam/v1/cameras/+/media"),
        read("mecam/v1/cameras/+/availability"),
        read("mecam/v1/uploader/commands"),
        write("mecam/v1/uploader/#"),
        write("mecam/v1/alerts"),
        write("mecam/v1/dead-letter/uploader"),
        write("mecam/v1/services/uploader/availability")));
    // Notifier: turns events and alerts into notifications.
    SERVICES.put(NOTIFIER, List.of(
        read("mecam/v1/cameras/+/events"),
        read("mecam/v1/cameras/+/alerts"),
        read("mecam/v1/cameras/+/availability"),
        read("mecam/v1/cameras/+/state"),
        read("mecam/v1/uploader/stored/+"),
        read("mecam/v1/uploader/failed/+"),
        read("mecam/v1/alerts"),
        read("mecam/v1/notifier/commands"),
        write("mecam/v1/notifier/#"),
        write("mecam/v1/alerts"),
        write("mecam/v1/dead-letter/notifier"),
        write("mecam/v1/services/notifier/availability")));
    // Web UI: shows everything, sends commands to cameras and services.
    SERVICES.put(WEB_UI, List.of(
        read("mecam/v1/#"),
        write("mecam/v1/cameras/+/set/#"),
        write("mecam/v1/uploader/commands"),
        write("mecam/v1/notifier/commands"),
        write("mecam/v1/dead-letter/web-ui"),
        write("mecam/v1/services/web-ui/availability")));
    // Operator / debugging / container healthcheck: read-only, never publishes.
    SERVICES.put(ADMIN, List.of(
        read("mecam/v1/#"),
        read("homeassistant/#"),
        read("$SYS/#")));
  }

  private ServiceBrokerAcl() {}

  /** The service user names, in a fixed order. */
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

  /** The {@code acl_file} section of one service: a {@code user} line and its {@code topic} lines. */
  public static String aclFileSection(String service) {
    StringBuilder b = new StringBuilder("user ").append(service).append('\n');
    for (Grant g : grants(service)) {
      b.append("topic ").append(g.access() == Access.READ ? "read " : "write ").append(g.topic()).append('\n');
    }
    return b.toString();
  }

  private static Grant read(String topic) {
    return new Grant(Access.READ, topic);
  }

  private static Grant write(String topic) {
    return new Grant(Access.WRITE, topic);
  }
}
