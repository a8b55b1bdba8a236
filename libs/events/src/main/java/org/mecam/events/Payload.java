package org.mecam.events;

import java.time.Instant;

/** A message body of the v1 contract: versioned, uniquely identified, time-stamped and self-validating. */
public interface Payload {
  /** The schema version every v1 payload carries. */
  int SCHEMA = 1;

  int schema();

  /** Unique per message; consumers deduplicate by it. */
  String id();

  Instant time();

  /** Adds every content problem to {@code checks}; the shape (types, required fields) is checked by Jackson. */
  void validate(Checks checks);

  /** The camera this payload is about, or null when it is about none. */
  default String cameraId() {
    return null;
  }
}
