package org.mecam.events;

/**
 * Every MQTT topic of the mecam v1 contract, as constants for subscription filters and builders for
 * concrete topics; docs/ref/mqtt.md describes each one.
 */
public final class Topics {
  public static final String ROOT = "mecam/v1";
  public static final String CAMERAS = ROOT + "/cameras";

  // Filters a service subscribes to (single-level wildcard in the camera position).
  public static final String ALL_CAMERA_AVAILABILITY = CAMERAS + "/+/availability";
  public static final String ALL_CAMERA_STATE = CAMERAS + "/+/state";
  public static final String ALL_CAMERA_EVENTS = CAMERAS + "/+/events";
  public static final String ALL_CAMERA_MEDIA = CAMERAS + "/+/media";
  public static final String ALL_CAMERA_ALERTS = CAMERAS + "/+/alerts";
  public static final String ALL_MEDIA_STORED = ROOT + "/uploader/stored/+";
  public static final String ALL_MEDIA_FAILED = ROOT + "/uploader/failed/+";

  public static final String ALERTS = ROOT + "/alerts";
  public static final String UPLOADER_STATS = ROOT + "/uploader/stats";
  public static final String UPLOADER_COMMANDS = ROOT + "/uploader/commands";
  public static final String UPLOADER_REPLIES = ROOT + "/uploader/replies";
  public static final String NOTIFIER_SENT = ROOT + "/notifier/sent";
  public static final String NOTIFIER_COMMANDS = ROOT + "/notifier/commands";
  public static final String NOTIFIER_REPLIES = ROOT + "/notifier/replies";
  /** The web UI's settings for other services (retained {@link WebUiSettings}): the public URL. */
  public static final String WEBUI_SETTINGS = ROOT + "/webui/settings";

  /** Availability payloads (plain strings, retained). */
  public static final String ONLINE = "online";
  /** Sent by the broker as the Last Will when a client vanishes. */
  public static final String OFFLINE = "offline";
  /** Published by a client that shuts down on purpose, so "lost" and "stopped" can be told apart. */
  public static final String STOPPED = "stopped";

  private Topics() {}

  public static String cameraAvailability(String camera) {
    return camera(camera) + "/availability";
  }

  public static String cameraState(String camera) {
    return camera(camera) + "/state";
  }

  public static String cameraEvents(String camera) {
    return camera(camera) + "/events";
  }

  public static String cameraMedia(String camera) {
    return camera(camera) + "/media";
  }

  public static String cameraAlerts(String camera) {
    return camera(camera) + "/alerts";
  }

  public static String cameraSetArmed(String camera) {
    return camera(camera) + "/set/armed";
  }

  public static String cameraSetAll(String camera) {
    return camera(camera) + "/set/#";
  }

  public static String mediaStored(String camera) {
    return ROOT + "/uploader/stored/" + CameraIds.require(camera);
  }

  public static String mediaFailed(String camera) {
    return ROOT + "/uploader/failed/" + CameraIds.require(camera);
  }

  public static String serviceAvailability(String service) {
    return ROOT + "/services/" + service + "/availability";
  }

  public static String deadLetter(String service) {
    return ROOT + "/dead-letter/" + service;
  }

  /**
   * Where a camera agent dead-letters the commands it cannot accept. Under {@code dead-letter/cameras/}
   * rather than {@code dead-letter/<camera>}, because service names (uploader, notifier, web-ui) are
   * valid camera ids too: the ACL grants each camera exactly this topic without letting a camera named
   * "uploader" write the uploader's dead letters.
   */
  public static String cameraDeadLetter(String camera) {
    return ROOT + "/dead-letter/cameras/" + CameraIds.require(camera);
  }

  /**
   * The camera id in a topic under {@code mecam/v1/cameras/} or {@code mecam/v1/uploader/stored|failed/},
   * or null when the topic names none.
   */
  public static String cameraOf(String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length >= 4 && parts[0].equals("mecam") && parts[1].equals("v1")) {
      if (parts[2].equals("cameras")) {
        return parts[3];
      }
      if (parts[2].equals("uploader") && parts.length == 5
          && (parts[3].equals("stored") || parts[3].equals("failed"))) {
        return parts[4];
      }
    }
    return null;
  }

  /** True when {@code topic} matches the MQTT filter {@code filter} ('+' and trailing '#'). */
  public static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }

  private static String camera(String camera) {
    return CAMERAS + "/" + CameraIds.require(camera);
  }
}
