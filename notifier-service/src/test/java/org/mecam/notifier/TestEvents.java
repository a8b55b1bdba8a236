package org.mecam.notifier;

import java.time.Instant;
import java.util.List;
import org.mecam.events.Alert;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaStored;
import org.mecam.events.MotionEvent;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;

/** Builds valid contract payloads for tests. */
final class TestEvents {
  private TestEvents() {}

  static MotionEvent motionStart(String camera, String eventId, boolean armed) {
    Instant now = Instant.now();
    return new MotionEvent(Payload.SCHEMA, Ids.newId(), camera, now, eventId, MotionEvent.Phase.START, 0.8,
        List.of(), armed, now, null);
  }

  static MediaStored snapshotStored(String camera, String eventId, String mediaId) {
    return new MediaStored(Payload.SCHEMA, Ids.newId(), camera, Instant.now(), mediaId, eventId, MediaKind.SNAPSHOT,
        MediaStored.Stage.UPLOADED, "local", 1234, "a".repeat(64));
  }

  static Alert alert(String camera, Alert.Kind kind, Alert.Severity severity) {
    return new Alert(Payload.SCHEMA, Ids.newId(), Instant.now(), camera, kind, severity, true, "test alert " + kind);
  }

  static byte[] json(Payload p) {
    return PayloadCodec.encode(p);
  }
}
