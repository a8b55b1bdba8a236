package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A snapshot or clip finished on the camera and ready to be pulled: where it is, how to fetch it and
 * how to verify it; published on {@code cameras/{id}/media}. {@code id} is the media id.
 */
public record MediaReady(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) String camera,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String eventId,
    @JsonProperty(required = true) MediaKind kind,
    @JsonProperty(required = true) String path,
    @JsonProperty(required = true) String url,
    @JsonProperty(required = true) String sha256,
    @JsonProperty(required = true) long size,
    @JsonProperty(required = true) String contentType,
    @JsonProperty(required = true) Instant start,
    @JsonProperty(required = true) Instant end) implements Payload {

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).camera("camera", camera).id("eventId", eventId).sha256("sha256", sha256);
    c.text("path", path, 512);
    c.check(!path.contains(".."), "field 'path' must not contain '..'");
    c.text("url", url, 1024);
    c.check(url.startsWith("http://") || url.startsWith("https://"), "field 'url' must be http(s)");
    c.check(size >= 0, "field 'size' must not be negative");
    c.text("contentType", contentType, 100);
    c.check(!end.isBefore(start), "field 'end' is before 'start'");
  }
}
