package org.mecam.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.mecam.secrets.SecretFiles;

/**
 * The Mosquitto dynamic-security plugin's JSON file ({@code dynamic-security.json}) as far as the
 * service credentials go: their clients, password hashes and roles.
 *
 * <p>Format, as read by Debian bookworm's Mosquitto 2.0.11 plugin (checked against
 * {@code mosquitto_ctrl dynsec init} output and a running broker): each client has
 * {@code password} = base64(PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes)),
 * {@code salt} = base64 of exactly 12 random bytes, and {@code iterations}. A role's {@code acls}
 * hold {@code acltype} ({@code publishClientSend}, {@code publishClientReceive},
 * {@code subscribePattern}, ...), {@code topic} and {@code allow}.
 *
 * <p>The broker rewrites this file whenever clients are changed at runtime (cameras), so
 * {@link #reconcile} keeps everything it does not own, and only touches the {@code svc-*} clients and
 * roles: it adds missing ones, re-hashes a service whose password no longer verifies (its password
 * file was recreated) and sets each service role to {@link ServiceBrokerAcl}'s grants (an upgrade
 * that changes them takes effect at the next start). Run it only while the broker is stopped.
 */
public final class DynsecFile {
  /** Salt length the 2.0 plugin requires. */
  static final int SALT_BYTES = 12;
  /**
   * PBKDF2 rounds. The plugin's own {@code createClient} uses 101; the service passwords are 192
   * random bits, so rounds add nothing against guessing and would only slow every connect.
   */
  static final int ITERATIONS = 1000;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  private DynsecFile() {}

  /**
   * Creates or updates {@code file} so that every service in {@code passwords} can log in with its
   * password and has exactly its role. Returns what changed (user names; never secrets), empty when
   * nothing did.
   */
  public static List<String> reconcile(Path file, Map<String, String> passwords) throws IOException {
    ObjectNode root;
    boolean created = !Files.exists(file);
    if (created) {
      root = JSON.createObjectNode();
      root.putArray("clients");
      root.putArray("groups");
      root.putArray("roles");
      ObjectNode defaults = root.putObject("defaultACLAccess");
      // The plugin's defaults, spelled out: nothing is allowed that a role does not grant, except
      // receiving what a permitted subscription matches and unsubscribing.
      defaults.put("publishClientSend", false);
      defaults.put("publishClientReceive", true);
      defaults.put("subscribe", false);
      defaults.put("unsubscribe", true);
    } else {
      JsonNode parsed = JSON.readTree(SecretFiles.read(file, "broker dynamic-security config"));
      if (!(parsed instanceof ObjectNode o)) {
        throw new IOException(file + " is not a JSON object; move it away to have it recreated");
      }
      root = o;
    }
    ArrayNode clients = array(root, "clients");
    ArrayNode roles = array(root, "roles");
    List<String> changes = new ArrayList<>();
    if (created) {
      changes.add("created " + file.getFileName());
    }
    for (Map.Entry<String, String> e : passwords.entrySet()) {
      String user = e.getKey();
      ObjectNode client = find(clients, "username", user);
      if (client == null) {
        client = clients.addObject();
        client.put("username", user);
        client.put("textName", "mecam service " + user);
        client.putArray("roles").addObject().put("rolename", user);
        setPassword(client, e.getValue());
        changes.add("added broker client " + user);
      } else if (!verifies(client, e.getValue())) {
        setPassword(client, e.getValue());
        changes.add("re-keyed broker client " + user + " to its password file");
      }
      ArrayNode clientRoles = array(client, "roles");
      if (find(clientRoles, "rolename", user) == null) {
        clientRoles.addObject().put("rolename", user);
        changes.add("gave broker client " + user + " its role");
      }
      ObjectNode role = find(roles, "rolename", user);
      ArrayNode wanted = acls(user);
      if (role == null) {
        role = roles.addObject();
        role.put("rolename", user);
        role.set("acls", wanted);
        changes.add("added broker role " + user);
      } else if (!normalized(wanted).equals(normalized(role.get("acls")))) {
        role.set("acls", wanted);
        changes.add("updated broker role " + user);
      }
    }
    if (!changes.isEmpty()) {
      SecretFiles.write(file, JSON.writeValueAsString(root));
    }
    return changes;
  }

  /** The role's ACL list for a service: read = subscribePattern + publishClientReceive, write = publishClientSend. */
  static ArrayNode acls(String service) {
    ArrayNode acls = JSON.createArrayNode();
    for (ServiceBrokerAcl.Grant g : ServiceBrokerAcl.dynsecGrants(service)) {
      if (g.access() == ServiceBrokerAcl.Access.READ) {
        acl(acls, "subscribePattern", g.topic());
        acl(acls, "publishClientReceive", g.topic());
      } else {
        acl(acls, "publishClientSend", g.topic());
      }
    }
    return acls;
  }

  /**
   * A role's ACLs as sorted (type, allow, topic) lines: the broker re-saves the file grouped by ACL
   * type and with fields of its own (e.g. {@code priority}), which must not count as a change.
   */
  private static List<String> normalized(JsonNode acls) {
    List<String> out = new ArrayList<>();
    if (acls != null) {
      for (JsonNode a : acls) {
        out.add(a.path("acltype").asText() + " " + a.path("allow").asBoolean(false) + " " + a.path("topic").asText());
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  private static void acl(ArrayNode acls, String type, String topic) {
    ObjectNode a = acls.addObject();
    a.put("acltype", type);
    a.put("topic", topic);
    a.put("allow", true);
  }

  /** Whether {@code password} matches the client's stored hash. */
  static boolean verifies(JsonNode client, String password) {
    try {
      byte[] salt = Base64.getDecoder().decode(client.path("salt").asText(""));
      byte[] hash = Base64.getDecoder().decode(client.path("password").asText(""));
      int iterations = client.path("iterations").asInt(0);
      if (salt.length == 0 || hash.length == 0 || iterations <= 0) {
        return false;
      }
      return MessageDigest.isEqual(hash, pbkdf2(password, salt, iterations, hash.length));
    } catch (IllegalArgumentException e) {
      return false; // not base64: not ours to verify
    }
  }

  private static void setPassword(ObjectNode client, String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    client.put("password", Base64.getEncoder().encodeToString(pbkdf2(password, salt, ITERATIONS, 64)));
    client.put("salt", Base64.getEncoder().encodeToString(salt));
    client.put("iterations", ITERATIONS);
  }

  /** PBKDF2-HMAC-SHA512 over the password's UTF-8 bytes, as the plugin computes it. */
  static byte[] pbkdf2(String password, byte[] salt, int iterations, int bytes) {
    try {
      // The JDK's PBKDF2 encodes the char[] as UTF-8, as Mosquitto hashes the raw bytes it received.
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
    }
  }

  private static ArrayNode array(ObjectNode parent, String name) throws IOException {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      return parent.putArray(name);
    }
    if (!(n instanceof ArrayNode a)) {
      throw new IOException("dynamic-security config: \"" + name + "\" is not an array");
    }
    return a;
  }

  private static ObjectNode find(ArrayNode items, String key, String value) {
    for (JsonNode n : items) {
      if (n instanceof ObjectNode o && value.equals(o.path(key).asText(null))) {
        return o;
      }
    }
    return null;
  }

  /** The file's text, for tests and diagnostics (it holds hashes, not passwords). */
  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
