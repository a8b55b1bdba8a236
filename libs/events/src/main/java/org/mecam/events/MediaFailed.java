package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** An attempt to stage or upload a media file failed; {@code permanent} when no retry remains. */
public record MediaFailed(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) String camera,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String mediaId,
    @JsonProperty(required = true) String reason,
    @JsonProperty(required = true) int attempts,
    @JsonProperty(required = true) boolean permanent) implements Payload {

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).camera("camera", camera).id("mediaId", mediaId).text("reason", reason, 500);
    c.check(attempts >= 0, "field 'attempts' must not be negative");
  }
}
