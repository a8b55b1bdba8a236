package org.mecam.webui.rest;

import jakarta.ws.rs.core.Response;
import org.mecam.webui.domain.MediaView;

/**
 * The headers every snapshot and clip is served with, from the camera or the archive: the content type
 * from an allow-list by media kind (never the type a camera announced or the archive header repeats,
 * so a "clip" announced as {@code text/html} cannot run as a page of this origin), a
 * {@code Content-Disposition} naming the file, {@code nosniff}, and a sandboxing CSP that leaves a
 * document opened from the response without script, plugins or this origin.
 */
final class MediaHeaders {
  /** Served for media only; replaces the pages' policy (see AccessFilter). */
  static final String CSP = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'";

  private MediaHeaders() {}

  /** The one content type a media kind is served as. */
  static String typeOf(String kind) {
    return switch (kind == null ? "" : kind) {
      case "clip" -> "video/mp4";
      case "snapshot" -> "image/jpeg";
      default -> "application/octet-stream";
    };
  }

  private static String extension(String kind) {
    return switch (kind == null ? "" : kind) {
      case "clip" -> ".mp4";
      case "snapshot" -> ".jpg";
      default -> ".bin";
    };
  }

  /** Sets type, disposition, nosniff and the sandboxing CSP for this media file. */
  static Response.ResponseBuilder apply(Response.ResponseBuilder b, MediaView m) {
    // Media ids are [A-Za-z0-9._:-] (Params.id), so the file name needs no quoting beyond the quotes.
    return b.type(typeOf(m.kind()))
        .header("Content-Disposition",
            "inline; filename=\"" + m.mediaId().replace(':', '_') + extension(m.kind()) + "\"")
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", CSP);
  }
}
