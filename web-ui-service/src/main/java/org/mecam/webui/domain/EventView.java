package org.mecam.webui.domain;

import java.time.Instant;

/** One motion event as the API and pages show it, with its snapshot and clip when known. */
@io.quarkus.qute.TemplateData
public record EventView(
    String eventId,
    String camera,
    String phase,
    double score,
    boolean armed,
    Instant startedAt,
    Instant endedAt,
    String snapshotMediaId,
    String clipMediaId,
    String clipStage) {}
