package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A region of the frame where motion was seen, in fractions of the frame width and height (0..1). */
public record Box(
    @JsonProperty(required = true) double x,
    @JsonProperty(required = true) double y,
    @JsonProperty(required = true) double w,
    @JsonProperty(required = true) double h) {

  void validate(Checks c, int index) {
    boolean ok = x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 1.0001 && y + h <= 1.0001;
    c.check(ok, "boxes[" + index + "] must lie inside the frame (fractions 0..1)");
  }
}
