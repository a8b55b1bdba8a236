package org.mecam.cameras;

import java.util.List;
import org.mecam.events.CameraIds;
import org.mecam.events.Topics;

/**
 * The broker access of one camera: the one source of the per-camera ACL. It mirrors the
 * {@code pattern} lines of {@code mosquitto/acl} with the camera id in place of {@code %u}, plus
 * reading Home Assistant's birth topic ({@code homeassistant/status}) so the agent can re-publish
 * discovery when HA restarts.
 *
 * <p>Writable subtopics are listed one by one, never {@code mecam/v1/cameras/<id>/#}: that would let
 * a camera publish its own {@code set/#} commands (disarm itself after being taken over).
 */
public final class CameraBrokerAcl {
  /** What a camera may do on a topic (filter). */
  public enum Action {
    /** Publish to topics matching the filter ({@code pattern write} in an acl_file). */
    WRITE("write", List.of("publishClientSend")),
    /**
     * Subscribe to filters within the filter and receive what is published there ({@code pattern
     * read} in an acl_file).
     */
    READ("read", List.of("subscribePattern", "publishClientReceive"));

    private final String aclFileWord;
    private final List<String> dynsecAclTypes;

    Action(String aclFileWord, List<String> dynsecAclTypes) {
      this.aclFileWord = aclFileWord;
      this.dynsecAclTypes = dynsecAclTypes;
    }

    /** The word Mosquitto's acl_file uses: {@code read} or {@code write}. */
    public String aclFileWord() {
      return aclFileWord;
    }

    /** The dynamic-security plugin's {@code acltype}s that together grant this action. */
    public List<String> dynsecAclTypes() {
      return dynsecAclTypes;
    }
  }

  /** One grant: {@code action} on the topic filter {@code topic}. */
  public record Entry(Action action, String topic) {
    /** The grant as an acl_file {@code topic} line, e.g. {@code topic write mecam/v1/cameras/x/state}. */
    public String aclFileLine() {
      return "topic " + action.aclFileWord() + " " + topic;
    }

    @Override
    public String toString() {
      return action.aclFileWord() + " " + topic;
    }
  }

  /** Home Assistant's discovery prefix (the agent's default {@code --ha-prefix}). */
  public static final String HA_PREFIX = "homeassistant";

  private CameraBrokerAcl() {}

  /** The dynsec role name that carries camera {@code cameraId}'s ACL: {@code camera-<id>}. */
  public static String roleName(String cameraId) {
    return "camera-" + CameraIds.require(cameraId);
  }

  /** Everything camera {@code cameraId} may do on the broker; nothing else is allowed. */
  public static List<Entry> entriesFor(String cameraId) {
    String id = CameraIds.require(cameraId);
    List<Entry> out = new java.util.ArrayList<>(List.of(
        new Entry(Action.WRITE, Topics.cameraAvailability(id)),
        new Entry(Action.WRITE, Topics.cameraState(id)),
        new Entry(Action.WRITE, Topics.cameraEvents(id)),
        new Entry(Action.WRITE, Topics.cameraMedia(id)),
        new Entry(Action.WRITE, Topics.cameraAlerts(id)),
        new Entry(Action.WRITE, Topics.cameraDeadLetter(id)),
        new Entry(Action.READ, Topics.cameraSetAll(id)),
        new Entry(Action.READ, Topics.mediaStored(id)),
        new Entry(Action.READ, Topics.mediaFailed(id))));
    // Home Assistant discovery: exactly the camera's own retained topics, no wildcard (issue 12 #7).
    for (String t : org.mecam.events.HomeAssistantTopics.retained(HA_PREFIX, id)) {
      out.add(new Entry(Action.WRITE, t));
    }
    out.add(new Entry(Action.READ, org.mecam.events.HomeAssistantTopics.status(HA_PREFIX)));
    return List.copyOf(out);
  }
}
