package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A camera's current condition, retained on {@code cameras/{id}/state} so a new subscriber sees it at once.
 * {@code detect} (optional) says which stream motion detection decodes: {@code main} (a downscaled decode
 * of the main stream), {@code detect-source} (the camera's low-resolution substream) or
 * {@code main-fallback} (a substream is configured but not delivering, so the main stream is used).
 * {@code diskFree} (optional): free bytes on the camera's media disk at its last check.
 */
public record CameraState(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) String camera,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) boolean armed,
    @JsonProperty(required = true) boolean streaming,
    int width,
    int height,
    double fps,
    String source,
    @JsonProperty(required = true) String version,
    String detect,
    Long diskFree) implements Payload {

  /** Without {@code detect} (producers that do not say which stream they detect on). */
  public CameraState(int schema, String id, String camera, Instant time, boolean armed, boolean streaming,
      int width, int height, double fps, String source, String version) {
    this(schema, id, camera, time, armed, streaming, width, height, fps, source, version, null);
  }

  /** Without {@code diskFree} (producers that do not measure their disk). */
  public CameraState(int schema, String id, String camera, Instant time, boolean armed, boolean streaming,
      int width, int height, double fps, String source, String version, String detect) {
    this(schema, id, camera, time, armed, streaming, width, height, fps, source, version, detect, null);
  }

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).camera("camera", camera).text("version", version, 40);
    c.check(width >= 0 && height >= 0 && width <= 16384 && height <= 16384, "width/height out of range");
    c.check(fps >= 0 && fps <= 1000, "field 'fps' out of range");
    c.check(source == null || source.matches("v4l2|rtsp|http|file|test|exec"),
        "field 'source' must be one of v4l2, rtsp, http, file, test, exec");
    c.check(diskFree == null || diskFree >= 0, "field 'diskFree' must not be negative");
    c.check(detect == null || detect.matches("main|detect-source|main-fallback"),
        "field 'detect' must be one of main, detect-source, main-fallback");
  }
}
