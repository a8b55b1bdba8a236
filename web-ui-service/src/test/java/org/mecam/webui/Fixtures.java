package org.mecam.webui;

import java.time.Instant;
import java.util.List;
import org.mecam.events.CameraState;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;

/** Valid payloads for tests. */
public final class Fixtures {
  private Fixtures() {}

  public static MotionEvent motion(String camera, String eventId, MotionEvent.Phase phase, Instant start) {
    return new MotionEvent(Payload.SCHEMA, Ids.newId(), camera, start, eventId, phase, 0.42, List.of(), true,
        start, phase == MotionEvent.Phase.END ? start.plusSeconds(5) : null);
  }

  public static MediaReady snapshot(String camera, String eventId, String url, Instant at) {
    return new MediaReady(Payload.SCHEMA, Ids.newId(), camera, at, eventId, MediaKind.SNAPSHOT,
        "snapshots/" + eventId + ".jpg", url, "0".repeat(64), 100, "image/jpeg", at, at);
  }

  public static CameraState state(String camera, boolean armed, Instant at) {
    return new CameraState(Payload.SCHEMA, Ids.newId(), camera, at, armed, true, 640, 480, 10, "test", "0.1.0");
  }

  public static String json(Payload p) {
    return new String(PayloadCodec.encode(p), java.nio.charset.StandardCharsets.UTF_8);
  }
}
