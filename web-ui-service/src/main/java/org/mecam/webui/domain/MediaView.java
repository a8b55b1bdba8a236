package org.mecam.webui.domain;

import java.time.Instant;

/** One snapshot or clip: where the camera serves it and how far the uploader got with it. */
public record MediaView(
    String mediaId,
    String camera,
    String eventId,
    String kind,
    String url,
    String contentType,
    Long size,
    String sha256,
    Instant start,
    Instant end,
    String stage,
    String backend) {}
