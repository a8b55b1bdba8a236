package org.mecam.mediapull;

import org.mecam.events.MediaKind;

/**
 * What a camera announced about one media file: which camera, which id, which kind, its path
 * relative to the camera's media directory, and the size and SHA-256 the bytes must match
 * ({@code sha256} may be null only for callers that stream without verifying, such as playback).
 */
public record MediaRequest(String cameraId, String mediaId, MediaKind kind, String path, long size,
    String sha256, String contentType) {}
