package org.mecam.uploader.domain;

import java.time.Instant;
import org.mecam.events.MediaKind;

/** One media file in the uploader's queue, as stored in its database. */
public record MediaItem(
    String mediaId,
    String camera,
    String eventId,
    MediaKind kind,
    String path,
    String url,
    String sha256,
    long size,
    String contentType,
    Instant start,
    long receivedAt,
    int priority,
    ItemState state,
    int attempts,
    long nextAttemptAt,
    long eligibleAt,
    String lastError,
    String stagedPath,
    String backend,
    String remoteId,
    String uploadSession,
    Long ciphertextSize,
    Long uploadedAt) {}
