package org.mecam.agent.mqtt;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mecam.agent.config.AgentVersion;
import org.mecam.agent.record.SnapshotEncoder;
import org.mecam.events.HomeAssistantTopics;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.mqtt.MqttTransport;

/**
 * Home Assistant MQTT discovery (on with {@code --ha-discovery}): one device per camera with a motion
 * binary_sensor, a camera entity showing the latest snapshot, an armed switch, sensors (last event, fps,
 * free disk, detect stream) and two device triggers (motion started/ended), every entity tied to the
 * agent's availability topic with all three of its payloads mapped ({@code stopped} counts as
 * unavailable). Configs are retained, re-sent on every connect and whenever Home Assistant announces
 * {@code online} on its status topic, and {@link #remove()} clears them. docs/home-assistant.md has the payloads.
 */
public final class HomeAssistantDiscovery {
  private static final Logger LOG = Logger.getLogger(HomeAssistantDiscovery.class.getName());

  /** Largest image retained for the camera entity; a bigger one is not published (broker limits). */
  public static final int MAX_IMAGE_BYTES = 256 * 1024;
  /** Widest image published for the camera entity; larger snapshots are decoded at 1/2, 1/4 or 1/8. */
  public static final int MAX_IMAGE_WIDTH = 640;

  /**
   * The switch's command template (HA 2024.8 and later render it): a full {@code ArmCommand}. Older
   * releases drop the key and send the raw {@code payload_on}/{@code payload_off}, which the agent
   * also accepts ({@link RawArmCommands}).
   */
  static final String COMMAND_TEMPLATE_FORMAT = "{\"schema\":1,\"id\":\"ha-{{ now().timestamp() | int }}-"
      + "{{ range(100000, 999999) | random }}\",\"camera\":\"%s\",\"time\":\"{{ utcnow().isoformat() }}\","
      + "\"armed\":{{ 'true' if value == 'ON' else 'false' }},\"requestedBy\":\"home-assistant\"}";

  private final String prefix;
  private final String cam;
  private final MqttTransport transport;

  public HomeAssistantDiscovery(String prefix, String cameraId, MqttTransport transport) {
    this.prefix = prefix;
    this.cam = cameraId;
    this.transport = transport;
  }

  /** Where the latest snapshot JPEG is published (retained) for the camera entity. */
  public String snapshotImageTopic() {
    return HomeAssistantTopics.snapshotImage(prefix, cam);
  }

  /** Re-publishes discovery whenever Home Assistant (re)starts and says {@code online} on its status topic. */
  public void followHomeAssistantStatus() {
    transport.subscribe(HomeAssistantTopics.status(prefix), 1, message -> {
      String text = new String(message.payload(), StandardCharsets.UTF_8).strip();
      if (text.equals("online")) {
        LOG.info("Home Assistant is online; discovery for camera " + cam + " re-sent");
        publish();
      }
    });
  }

  /** Publishes every discovery config (retained, QoS 1). */
  public void publish() {
    Map<String, Object> motion = base("Motion", "motion");
    motion.put("state_topic", Topics.cameraEvents(cam));
    motion.put("value_template", "{{ 'OFF' if value_json.type == 'end' else 'ON' }}");
    motion.put("payload_on", "ON");
    motion.put("payload_off", "OFF");
    motion.put("device_class", "motion");
    send("binary_sensor/motion", motion);

    Map<String, Object> snapshot = base("Snapshot", "snapshot");
    snapshot.put("topic", snapshotImageTopic());
    send("camera/snapshot", snapshot);

    Map<String, Object> armed = base("Armed", "armed");
    armed.put("state_topic", Topics.cameraState(cam));
    armed.put("value_template", "{{ 'ON' if value_json.armed else 'OFF' }}");
    armed.put("state_on", "ON");
    armed.put("state_off", "OFF");
    armed.put("command_topic", Topics.cameraSetArmed(cam));
    armed.put("payload_on", "ON");
    armed.put("payload_off", "OFF");
    armed.put("command_template", String.format(COMMAND_TEMPLATE_FORMAT, cam));
    armed.put("icon", "mdi:shield-home");
    send("switch/armed", armed);

    Map<String, Object> last = base("Last event", "last_event");
    last.put("state_topic", Topics.cameraEvents(cam));
    last.put("value_template", "{{ value_json.startedAt }}");
    last.put("device_class", "timestamp");
    send("sensor/last_event", last);

    Map<String, Object> fps = base("Frame rate", "fps");
    fps.put("state_topic", Topics.cameraState(cam));
    fps.put("value_template", "{{ value_json.fps }}");
    fps.put("unit_of_measurement", "fps");
    fps.put("state_class", "measurement");
    fps.put("entity_category", "diagnostic");
    send("sensor/fps", fps);

    Map<String, Object> disk = base("Free disk", "disk_free");
    disk.put("state_topic", Topics.cameraState(cam));
    disk.put("value_template", "{{ value_json.diskFree }}");
    disk.put("unit_of_measurement", "B");
    disk.put("device_class", "data_size");
    disk.put("state_class", "measurement");
    disk.put("entity_category", "diagnostic");
    send("sensor/disk_free", disk);

    Map<String, Object> detect = base("Detect stream", "detect_stream");
    detect.put("state_topic", Topics.cameraState(cam));
    detect.put("value_template", "{{ value_json.detect }}");
    detect.put("icon", "mdi:motion-sensor");
    detect.put("entity_category", "diagnostic");
    send("sensor/detect_stream", detect);

    send("device_automation/motion_started", trigger("motion_started", "start"));
    send("device_automation/motion_ended", trigger("motion_ended", "end"));
  }

  /**
   * Publishes a snapshot for the camera entity: decoded at a reduced size so it is at most
   * {@value #MAX_IMAGE_WIDTH} px wide, re-encoded, and retained only if it fits {@value #MAX_IMAGE_BYTES}
   * bytes. One retained image per camera, replaced by each new event.
   */
  public void snapshot(byte[] jpeg) {
    byte[] small;
    try {
      small = downscale(jpeg);
    } catch (Exception e) {
      LOG.warning("camera " + cam + " snapshot for Home Assistant not published: " + e.getMessage());
      return;
    }
    if (small.length > MAX_IMAGE_BYTES) {
      LOG.warning("camera " + cam + " snapshot for Home Assistant not published: " + small.length
          + " bytes after downscaling (limit " + MAX_IMAGE_BYTES + ")");
      return;
    }
    transport.publish(snapshotImageTopic(), small, 0, true);
  }

  /** The JPEG decoded at 1/1, 1/2, 1/4 or 1/8 so that it is at most {@value #MAX_IMAGE_WIDTH} px wide. */
  public static byte[] downscale(byte[] jpeg) throws java.io.IOException {
    int width = jpegWidth(jpeg);
    if (width > 0 && width <= MAX_IMAGE_WIDTH) {
      return jpeg;
    }
    int flag = width <= 2 * MAX_IMAGE_WIDTH ? IMREAD_REDUCED_COLOR_2
        : width <= 4 * MAX_IMAGE_WIDTH ? IMREAD_REDUCED_COLOR_4 : IMREAD_REDUCED_COLOR_8;
    if (width < 0) {
      flag = IMREAD_COLOR;
    }
    try (BytePointer buf = new BytePointer(jpeg); Mat encoded = new Mat(1, jpeg.length,
        org.bytedeco.opencv.global.opencv_core.CV_8UC1, buf); Mat img = imdecode(encoded, flag)) {
      if (img == null || img.empty()) {
        throw new java.io.IOException("snapshot is not a decodable JPEG");
      }
      return SnapshotEncoder.jpeg(img, 80);
    }
  }

  /** The width from a JPEG's SOF header, or -1 if none is found. */
  public static int jpegWidth(byte[] b) {
    int i = 2;
    while (i + 9 < b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        return -1;
      }
      int marker = b[i + 1] & 0xFF;
      int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
      }
      i += 2 + len;
    }
    return -1;
  }

  /**
   * Removes the device from Home Assistant: an empty retained message on every config topic and on the
   * snapshot image, each confirmed by the broker.
   */
  public void remove(Duration timeout) throws MqttDeliveryException {
    for (String topic : HomeAssistantTopics.retained(prefix, cam)) {
      transport.publishConfirmed(topic, new byte[0], 1, true, timeout);
    }
    LOG.info("camera " + cam + " removed from Home Assistant (empty retained discovery configs)");
  }

  private Map<String, Object> trigger(String type, String phase) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("automation_type", "trigger");
    m.put("topic", Topics.cameraEvents(cam));
    m.put("type", type);
    m.put("subtype", "motion");
    m.put("value_template", "{{ value_json.type }}");
    m.put("payload", phase);
    m.put("device", device());
    return m;
  }

  private Map<String, Object> base(String name, String object) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("unique_id", "mecam_" + cam + "_" + object);
    Map<String, Object> availability = new LinkedHashMap<>();
    availability.put("topic", Topics.cameraAvailability(cam));
    availability.put("payload_available", Topics.ONLINE);
    availability.put("payload_not_available", Topics.OFFLINE);
    // "stopped" (a clean stop) and anything else is unavailable; HA ignores payloads it does not know.
    availability.put("value_template", "{{ 'online' if value == 'online' else 'offline' }}");
    m.put("availability", List.of(availability));
    m.put("device", device());
    return m;
  }

  private Map<String, Object> device() {
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("identifiers", List.of("mecam_" + cam));
    device.put("name", "mecam " + cam);
    device.put("manufacturer", "mecam");
    device.put("model", "camera-agent");
    device.put("sw_version", AgentVersion.version());
    return device;
  }

  private void send(String componentAndObject, Map<String, Object> config) {
    try {
      byte[] body = PayloadCodec.mapper().writeValueAsBytes(config);
      transport.publish(HomeAssistantTopics.config(prefix, cam, componentAndObject), body, 1, true);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
