package org.mecam.events;

import java.util.List;

/**
 * The v1 topics that carry JSON payloads, each with its record type, QoS and retain flag, so a
 * consumer can look up how to read any topic it subscribes to.
 */
public final class Contract {

  /** One topic family of the contract. */
  public record Spec<T extends Payload>(String filter, Class<T> type, int qos, boolean retained) {}

  public static final Spec<CameraState> CAMERA_STATE =
      new Spec<>(Topics.ALL_CAMERA_STATE, CameraState.class, 1, true);
  public static final Spec<MotionEvent> CAMERA_EVENTS =
      new Spec<>(Topics.ALL_CAMERA_EVENTS, MotionEvent.class, 1, false);
  public static final Spec<MediaReady> CAMERA_MEDIA =
      new Spec<>(Topics.ALL_CAMERA_MEDIA, MediaReady.class, 1, false);
  public static final Spec<Alert> CAMERA_ALERTS =
      new Spec<>(Topics.ALL_CAMERA_ALERTS, Alert.class, 1, false);
  public static final Spec<ArmCommand> CAMERA_SET_ARMED =
      new Spec<>(Topics.CAMERAS + "/+/set/armed", ArmCommand.class, 1, false);
  public static final Spec<MediaStored> MEDIA_STORED =
      new Spec<>(Topics.ALL_MEDIA_STORED, MediaStored.class, 1, false);
  public static final Spec<MediaFailed> MEDIA_FAILED =
      new Spec<>(Topics.ALL_MEDIA_FAILED, MediaFailed.class, 1, false);
  public static final Spec<Alert> ALERTS = new Spec<>(Topics.ALERTS, Alert.class, 1, false);
  public static final Spec<Command> UPLOADER_COMMANDS =
      new Spec<>(Topics.UPLOADER_COMMANDS, Command.class, 1, false);
  public static final Spec<CommandReply> UPLOADER_REPLIES =
      new Spec<>(Topics.UPLOADER_REPLIES, CommandReply.class, 1, false);
  public static final Spec<Command> NOTIFIER_COMMANDS =
      new Spec<>(Topics.NOTIFIER_COMMANDS, Command.class, 1, false);
  public static final Spec<CommandReply> NOTIFIER_REPLIES =
      new Spec<>(Topics.NOTIFIER_REPLIES, CommandReply.class, 1, false);
  public static final Spec<NotificationSent> NOTIFIER_SENT =
      new Spec<>(Topics.NOTIFIER_SENT, NotificationSent.class, 1, false);
  public static final Spec<DeadLetter> DEAD_LETTERS =
      new Spec<>(Topics.ROOT + "/dead-letter/+", DeadLetter.class, 1, false);
  public static final Spec<DeadLetter> CAMERA_DEAD_LETTERS =
      new Spec<>(Topics.ROOT + "/dead-letter/cameras/+", DeadLetter.class, 1, false);

  public static final Spec<WebUiSettings> WEBUI_SETTINGS =
      new Spec<>(Topics.WEBUI_SETTINGS, WebUiSettings.class, 1, true);

  public static final List<Spec<?>> ALL = List.of(WEBUI_SETTINGS, CAMERA_STATE, CAMERA_EVENTS, CAMERA_MEDIA,
      CAMERA_ALERTS, CAMERA_SET_ARMED, MEDIA_STORED, MEDIA_FAILED, ALERTS, UPLOADER_COMMANDS,
      UPLOADER_REPLIES, NOTIFIER_COMMANDS, NOTIFIER_REPLIES, NOTIFIER_SENT, DEAD_LETTERS,
      CAMERA_DEAD_LETTERS);

  private Contract() {}

  /** The spec whose filter matches {@code topic}, or null. */
  public static Spec<?> forTopic(String topic) {
    for (Spec<?> s : ALL) {
      if (Topics.matches(s.filter(), topic)) {
        return s;
      }
    }
    return null;
  }
}
