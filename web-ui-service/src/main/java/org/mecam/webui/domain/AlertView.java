package org.mecam.webui.domain;

import java.time.Instant;

/** One alert as received from a camera or service. */
@io.quarkus.qute.TemplateData
public record AlertView(
    String id, String camera, String kind, String severity, boolean active, String message, Instant time) {}
