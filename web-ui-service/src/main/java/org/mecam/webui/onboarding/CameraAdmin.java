package org.mecam.webui.onboarding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mecam.cameras.CameraBrokerAcl;
import org.mecam.cameras.CameraRegistry;
import org.mecam.cameras.RegisteredCamera;
import org.mecam.events.CameraIds;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.webui.config.WebUiConfig;

/**
 * Adds and removes cameras while everything runs: the camera's broker client and role through the
 * dynamic security plugin (ACL from {@link CameraBrokerAcl}), its media token in the camera registry,
 * and its agent configuration file (kept 0600 in {@code <data-dir>/agent-configs/} for download).
 * Removing deletes the broker client (which drops its connection), its role, its registry entry
 * (so its media token is refused at once) and the stored configuration.
 */
@ApplicationScoped
public class CameraAdmin {
  /** A refusal with its HTTP status. */
  public static final class Refused extends RuntimeException {
    private final int status;

    public Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** What adding a camera gives the owner: the agent file and the command that installs it. */
  public record Added(String id, String agentConfig, String command) {}

  private final CameraRegistry registry;
  private final DynsecClient dynsec;
  private final PublicUrlSetting publicUrl;
  private final WebUiConfig config;
  private final Path configsDir;
  private final Clock clock;

  public CameraAdmin(CameraRegistry registry, DynsecClient dynsec, PublicUrlSetting publicUrl, WebUiConfig config,
      ServiceConfig service, Clock clock) {
    this.registry = registry;
    this.dynsec = dynsec;
    this.publicUrl = publicUrl;
    this.config = config;
    this.configsDir = service.dataDir().resolve("agent-configs");
    this.clock = clock;
  }

  public List<RegisteredCamera> all() {
    return registry.all();
  }

  /**
   * Adds camera {@code id}; {@code requestHost} (the host the owner's browser used) stands in for
   * the public URL's host on installations set up before it existed.
   */
  public synchronized Added add(String id, String name, String mediaUrl, String requestHost) {
    String idProblem = CameraIds.problem(id);
    if (idProblem != null) {
      throw new Refused(400, idProblem);
    }
    String display = name == null || name.isBlank() ? id : name.strip();
    String nameProblem = RegisteredCamera.nameProblem(display);
    if (nameProblem != null) {
      throw new Refused(400, nameProblem);
    }
    URI url;
    try {
      url = RegisteredCamera.parseMediaUrl(mediaUrl);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, e.getMessage());
    }
    if (registry.find(id).isPresent()) {
      throw new Refused(409, "camera '" + id + "' exists already; remove it first to add it again");
    }
    String host = publicUrl.host().orElse(requestHost);
    if (host == null || host.isBlank()) {
      throw new Refused(409, "the public address of this server is not set; finish first-run setup");
    }
    String caPem = caPem();
    String password = SecretFiles.randomToken(32);
    String role = CameraBrokerAcl.roleName(id);

    DynsecClient.Result created = dynsec.execute(createRole(role, id));
    if (!created.ok() && created.error().toLowerCase().contains("already exists")) {
      // Left over from an earlier add that did not finish (the camera is not in the registry): replace it.
      dynsec.execute(DynsecClient.command("deleteRole").put("rolename", role));
      created = dynsec.execute(createRole(role, id));
    }
    if (!created.ok()) {
      throw new Refused(502, "the broker refused to create role " + role + ": " + created.error());
    }
    List<ObjectNode> acls = new ArrayList<>();
    for (CameraBrokerAcl.Entry e : CameraBrokerAcl.entriesFor(id)) {
      for (String type : e.action().dynsecAclTypes()) {
        acls.add(DynsecClient.command("addRoleACL").put("rolename", role).put("acltype", type)
            .put("topic", e.topic()).put("allow", true));
      }
    }
    for (DynsecClient.Result r : dynsec.execute(acls)) {
      if (!r.ok()) {
        dynsec.execute(DynsecClient.command("deleteRole").put("rolename", role));
        throw new Refused(502, "the broker refused the camera's access rules: " + r.error());
      }
    }
    ObjectNode client = DynsecClient.command("createClient").put("username", id).put("password", password)
        .put("textname", "camera " + display);
    client.putArray("roles").addObject().put("rolename", role);
    DynsecClient.Result c = dynsec.execute(client);
    if (!c.ok()) {
      dynsec.execute(DynsecClient.command("deleteRole").put("rolename", role));
      boolean exists = c.error().toLowerCase().contains("already exists");
      throw new Refused(exists ? 409 : 502, exists
          ? "the broker already has a client named '" + id + "'; choose another camera id"
          : "the broker refused to create the camera's client: " + c.error());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    RegisteredCamera camera = new RegisteredCamera(id, display, url, SecretFiles.randomToken(32), now);
    String file = AgentConfigs.file(camera, password, host, config.brokerPublicPort(), caPem, now);
    try {
      registry.put(camera);
      SecretFiles.write(configFile(id), file);
    } catch (RuntimeException e) {
      dynsec.execute(List.of(DynsecClient.command("deleteClient").put("username", id),
          DynsecClient.command("deleteRole").put("rolename", role)));
      registry.remove(id);
      throw e;
    }
    Log.infof("camera '%s' added (broker client and role %s, media %s)", id, role, url);
    return new Added(id, file, AgentConfigs.installCommand(file));
  }

  /** The stored agent configuration of camera {@code id}, if it was added here. */
  public Optional<String> agentConfig(String id) {
    if (CameraIds.problem(id) != null || registry.find(id).isEmpty()) {
      return Optional.empty();
    }
    Path f = configFile(id);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(SecretFiles.read(f, "agent configuration") + "\n");
  }

  /** Removes camera {@code id}: broker client (its connection is dropped) and role, registry entry, config. */
  public synchronized boolean remove(String id) {
    if (CameraIds.problem(id) != null || registry.find(id).isEmpty()) {
      return false;
    }
    String role = CameraBrokerAcl.roleName(id);
    List<DynsecClient.Result> r = dynsec.execute(List.of(DynsecClient.command("deleteClient").put("username", id),
        DynsecClient.command("deleteRole").put("rolename", role)));
    for (DynsecClient.Result x : r) {
      if (!x.ok() && !x.error().toLowerCase().contains("not found")) {
        throw new Refused(502, "the broker refused to " + x.command() + " for camera '" + id + "': " + x.error());
      }
    }
    registry.remove(id);
    try {
      Files.deleteIfExists(configFile(id));
    } catch (IOException e) {
      Log.warnf("cannot delete the agent configuration of camera '%s': %s", id, e.getMessage());
    }
    Log.infof("camera '%s' removed: broker client and role deleted, media token revoked", id);
    return true;
  }

  private static ObjectNode createRole(String role, String id) {
    return DynsecClient.command("createRole").put("rolename", role).put("textname", "camera " + id);
  }

  private Path configFile(String id) {
    return configsDir.resolve(id + ".properties");
  }

  private String caPem() {
    if (config.brokerCaFile().isEmpty()) {
      return null;
    }
    try {
      return Files.readString(config.brokerCaFile().get(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Refused(500, "cannot read the broker CA file " + config.brokerCaFile().get() + ": " + e.getMessage());
    }
  }
}
