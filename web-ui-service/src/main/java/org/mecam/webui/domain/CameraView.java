package org.mecam.webui.domain;

import java.time.Instant;

/** What the web UI knows about one camera: availability, retained state, last motion, last snapshot. */
@io.quarkus.qute.TemplateData
public record CameraView(
    String camera,
    String availability,
    boolean online,
    Boolean armed,
    Boolean streaming,
    Integer width,
    Integer height,
    Double fps,
    String source,
    String version,
    Instant stateAt,
    Instant lastMotionAt,
    String latestSnapshotMediaId) {}
