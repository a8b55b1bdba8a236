package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** Asks one camera to arm or disarm; sent by the web UI on {@code cameras/{id}/set/armed}. */
public record ArmCommand(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) String camera,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) boolean armed,
    String requestedBy) implements Payload {

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).camera("camera", camera).optionalText("requestedBy", requestedBy, 64);
  }
}
