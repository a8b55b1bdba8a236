package org.mecam.agent.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.config.AgentVersion;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttTransport;

/**
 * Home Assistant MQTT discovery (on with {@code --ha-discovery}): a motion binary_sensor fed by the
 * events topic, a camera entity showing the latest snapshot, and an armed switch driving set/armed,
 * all tied to the agent's availability topic (Last Will). Configs are retained and re-sent on connect.
 */
public final class HomeAssistantDiscovery {
  private final AgentConfig cfg;
  private final MqttTransport transport;
  private final String cam;

  public HomeAssistantDiscovery(AgentConfig cfg, MqttTransport transport) {
    this.cfg = cfg;
    this.transport = transport;
    this.cam = cfg.cameraId();
  }

  /** Where the latest snapshot JPEG is published (retained) for the camera entity. */
  public String snapshotImageTopic() {
    return cfg.haPrefix() + "/camera/" + cam + "/snapshot/image";
  }

  public void publish() {
    Map<String, Object> motion = base("Motion", "motion");
    motion.put("state_topic", Topics.cameraEvents(cam));
    motion.put("value_template", "{{ 'OFF' if value_json.type == 'end' else 'ON' }}");
    motion.put("device_class", "motion");
    send("binary_sensor", "motion", motion);

    Map<String, Object> snapshot = base("Snapshot", "snapshot");
    snapshot.put("topic", snapshotImageTopic());
    send("camera", "snapshot", snapshot);

    Map<String, Object> armed = base("Armed", "armed");
    armed.put("state_topic", Topics.cameraState(cam));
    armed.put("value_template", "{{ 'ON' if value_json.armed else 'OFF' }}");
    armed.put("command_topic", Topics.cameraSetArmed(cam));
    armed.put("command_template", "{\"schema\":1,\"id\":\"ha-{{ now().timestamp() | int }}-{{ range(100000, 999999)"
        + " | random }}\",\"camera\":\"" + cam + "\",\"time\":\"{{ utcnow().isoformat() }}\",\"armed\":"
        + "{{ 'true' if value == 'ON' else 'false' }},\"requestedBy\":\"home-assistant\"}");
    armed.put("icon", "mdi:shield-home");
    send("switch", "armed", armed);
  }

  /** Publishes a snapshot for the camera entity. */
  public void snapshot(byte[] jpeg) {
    transport.publish(snapshotImageTopic(), jpeg, 0, true);
  }

  private Map<String, Object> base(String name, String object) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("unique_id", "mecam_" + cam + "_" + object);
    m.put("availability_topic", Topics.cameraAvailability(cam));
    m.put("payload_available", Topics.ONLINE);
    m.put("payload_not_available", Topics.OFFLINE);
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("identifiers", List.of("mecam_" + cam));
    device.put("name", "mecam " + cam);
    device.put("manufacturer", "mecam");
    device.put("model", "camera-agent");
    device.put("sw_version", AgentVersion.version());
    m.put("device", device);
    return m;
  }

  private void send(String component, String object, Map<String, Object> config) {
    try {
      byte[] body = PayloadCodec.mapper().writeValueAsBytes(config);
      transport.publish(cfg.haPrefix() + "/" + component + "/" + cam + "/" + object + "/config", body, 1, true);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
