package org.mecam.notifier.domain;

import java.time.Instant;

/**
 * The content of one notification as decided from an event: what the user sees, how urgent it is,
 * the group it belongs to (tag / collapse key) and the snapshot attached, if any.
 */
public record Notice(
    String id,
    String sourceId,
    String topic,
    String camera,
    String eventId,
    Category category,
    String urgency,
    String title,
    String body,
    String tag,
    String mediaId,
    Instant time) {

  /** The same notice with a snapshot attached. */
  public Notice withMedia(String newMediaId) {
    return new Notice(id, sourceId, topic, camera, eventId, category, urgency, title, body, tag,
        newMediaId, time);
  }

  /**
   * True for the second push of a motion event: the stored snapshot sent under the first one's tag
   * (its source is the uploader's media-stored topic). Devices replace the first notification silently.
   */
  public boolean isUpdate() {
    return category == Category.MOTION && topic != null && topic.startsWith(org.mecam.events.Topics.ROOT + "/uploader/stored/");
  }

  /** Security notices break through quiet hours and are sent with high urgency. */
  public boolean breaksQuietHours() {
    return category == Category.SECURITY;
  }
}
