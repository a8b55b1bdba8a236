package org.mecam.events;

import java.util.List;

/**
 * The retained Home Assistant topics a camera agent with {@code --ha-discovery} owns: its discovery
 * configs ({@code <prefix>/<component>/<camera>/<object>/config}) and the snapshot image of its camera
 * entity. Whoever removes a camera publishes an empty retained message to each, which is how Home
 * Assistant is told to delete the entities (docs/home-assistant.md).
 */
public final class HomeAssistantTopics {
  /** The discovery prefix Home Assistant uses unless configured otherwise. */
  public static final String DEFAULT_PREFIX = "homeassistant";

  /** Component and object id of every discovery config an agent publishes, in publishing order. */
  public static final List<String> CONFIGS = List.of(
      "binary_sensor/motion", "camera/snapshot", "switch/armed", "sensor/last_event", "sensor/fps",
      "sensor/disk_free", "sensor/detect_stream", "device_automation/motion_started",
      "device_automation/motion_ended");

  private HomeAssistantTopics() {}

  /** {@code <prefix>/<component>/<camera>/<object>/config} for one entry of {@link #CONFIGS}. */
  public static String config(String prefix, String camera, String componentAndObject) {
    int slash = componentAndObject.indexOf('/');
    return prefix + "/" + componentAndObject.substring(0, slash) + "/" + CameraIds.require(camera) + "/"
        + componentAndObject.substring(slash + 1) + "/config";
  }

  /** Where the camera entity's latest snapshot (a downscaled JPEG, raw bytes) is retained. */
  public static String snapshotImage(String prefix, String camera) {
    return prefix + "/camera/" + CameraIds.require(camera) + "/snapshot/image";
  }

  /** Home Assistant's birth/last-will topic; {@code online} means it (re)started and wants discovery again. */
  public static String status(String prefix) {
    return prefix + "/status";
  }

  /** Every retained topic of the camera: its configs, then the snapshot image. */
  public static List<String> retained(String prefix, String camera) {
    List<String> out = new java.util.ArrayList<>();
    for (String c : CONFIGS) {
      out.add(config(prefix, camera, c));
    }
    out.add(snapshotImage(prefix, camera));
    return List.copyOf(out);
  }
}
