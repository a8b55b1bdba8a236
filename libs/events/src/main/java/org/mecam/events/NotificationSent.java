package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The notifier turned an event or alert into a notification; published on {@code notifier/sent}. */
public record NotificationSent(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) Instant time,
    String camera,
    String sourceId,
    @JsonProperty(required = true) String category,
    @JsonProperty(required = true) String title,
    @JsonProperty(required = true) String body,
    @JsonProperty(required = true) int delivered,
    @JsonProperty(required = true) int suppressed) implements Payload {

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).optionalId("sourceId", sourceId).text("category", category, 40);
    c.text("title", title, 200).check(body != null && body.length() <= 1000, "field 'body' too long");
    if (camera != null) {
      c.camera("camera", camera);
    }
  }
}
