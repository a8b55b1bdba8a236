package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A security or system condition worth telling the owner about, raised ({@code active=true}) and later
 * cleared; cameras publish on {@code cameras/{id}/alerts}, services on {@code mecam/v1/alerts}.
 */
public record Alert(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) Instant time,
    String camera,
    @JsonProperty(required = true) Kind kind,
    @JsonProperty(required = true) Severity severity,
    @JsonProperty(required = true) boolean active,
    @JsonProperty(required = true) String message) implements Payload {

  /** What happened. */
  public enum Kind {
    @JsonProperty("camera-offline") CAMERA_OFFLINE,
    @JsonProperty("stream-lost") STREAM_LOST,
    @JsonProperty("camera-reconnecting") CAMERA_RECONNECTING,
    @JsonProperty("disk-nearly-full") DISK_NEARLY_FULL,
    @JsonProperty("media-dropped") MEDIA_DROPPED,
    @JsonProperty("clock-skew") CLOCK_SKEW,
    @JsonProperty("upload-failing") UPLOAD_FAILING,
    @JsonProperty("queue-full") QUEUE_FULL,
    @JsonProperty("storage-quota") STORAGE_QUOTA,
    @JsonProperty("drive-relink") DRIVE_RELINK,
    @JsonProperty("test") TEST
  }

  /** How loud the alert should be: security alerts may break through quiet hours. */
  public enum Severity {
    @JsonProperty("security") SECURITY,
    @JsonProperty("system") SYSTEM,
    @JsonProperty("info") INFO
  }

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).text("message", message, 500);
    if (camera != null) {
      c.camera("camera", camera);
    }
  }
}
