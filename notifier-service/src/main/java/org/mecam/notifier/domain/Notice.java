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

  /** Security notices break through quiet hours and are sent with high urgency. */
  public boolean breaksQuietHours() {
    return category == Category.SECURITY;
  }
}
