package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The uploader has a verified, encrypted copy of a media file; published on
 * {@code uploader/stored/{camera}} so the camera may free its disk and the notifier may attach it.
 */
public record MediaStored(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) String camera,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String mediaId,
    @JsonProperty(required = true) String eventId,
    @JsonProperty(required = true) MediaKind kind,
    @JsonProperty(required = true) Stage stage,
    @JsonProperty(required = true) String backend,
    @JsonProperty(required = true) long size,
    @JsonProperty(required = true) String sha256) implements Payload {

  /** How far the media got: pulled into server staging, or stored encrypted on the backend. */
  public enum Stage {
    @JsonProperty("staged") STAGED,
    @JsonProperty("uploaded") UPLOADED
  }

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).camera("camera", camera).id("mediaId", mediaId).id("eventId", eventId);
    c.text("backend", backend, 40).sha256("sha256", sha256);
    c.check(size >= 0, "field 'size' must not be negative");
  }
}
