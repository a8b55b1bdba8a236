package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Motion seen by a camera: one message at the start, optional updates, one at the end, all sharing
 * {@code eventId} so consumers update one record in place; published on {@code cameras/{id}/events}.
 */
public record MotionEvent(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) String camera,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String eventId,
    @JsonProperty(required = true) Phase type,
    @JsonProperty(required = true) double score,
    List<Box> boxes,
    @JsonProperty(required = true) boolean armed,
    @JsonProperty(required = true) Instant startedAt,
    Instant endedAt) implements Payload {

  /** Where in its life the motion event is. */
  public enum Phase {
    @JsonProperty("start") START,
    @JsonProperty("update") UPDATE,
    @JsonProperty("end") END
  }

  public MotionEvent {
    boxes = boxes == null ? List.of() : List.copyOf(boxes);
  }

  @Override
  public String cameraId() {
    return camera;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).camera("camera", camera).id("eventId", eventId);
    c.check(score >= 0 && score <= 1, "field 'score' must be between 0 and 1");
    c.check(boxes.size() <= 32, "field 'boxes' holds at most 32 boxes");
    for (int i = 0; i < boxes.size(); i++) {
      boxes.get(i).validate(c, i);
    }
    c.check(type != Phase.END || endedAt != null, "an 'end' event needs 'endedAt'");
    c.check(endedAt == null || !endedAt.isBefore(startedAt), "'endedAt' is before 'startedAt'");
  }
}
