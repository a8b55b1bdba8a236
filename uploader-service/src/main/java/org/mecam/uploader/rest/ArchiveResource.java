package org.mecam.uploader.rest;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Optional;
import org.mecam.events.ByteRange;
import org.mecam.events.Checks;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.storage.ArchiveReader;
import org.mecam.uploader.storage.BackendPausedException;
import org.mecam.uploader.service.RetryableException;
import org.mecam.uploader.store.UploaderStore;

/**
 * Internal read-back of stored media for other mecam services (the web UI's playback): the encrypted
 * {@code .mecam} file exactly as the backend holds it, whole or by byte range, streamed; behind a
 * Bearer token from {@code mecam.uploader.archive-token-file}, and absent (404) without one.
 */
@Path("/internal/archive")
public class ArchiveResource {
  private static final String OCTETS = MediaType.APPLICATION_OCTET_STREAM;
  private final Optional<ArchiveToken> token;
  private final UploaderStore store;
  private final ArchiveReader reader;

  public ArchiveResource(UploaderConfig config, UploaderStore store, ArchiveReader reader) throws IOException {
    this.token = ArchiveToken.load(config.archiveTokenFile());
    this.store = store;
    this.reader = reader;
  }

  /** Fails start-up when the token file is configured but unusable, instead of at the first request. */
  void checkAtStartup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent e) {
    Log.infof("archive read endpoint %s", token.isPresent() ? "enabled" : "disabled (no archive-token-file)");
  }

  @GET
  @Path("/{mediaId}")
  public Response get(@PathParam("mediaId") String mediaId, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
      @HeaderParam("Range") String range, @Context HttpServerRequest request) {
    return serve(mediaId, auth, range, request, true);
  }

  @HEAD
  @Path("/{mediaId}")
  public Response head(@PathParam("mediaId") String mediaId, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
      @HeaderParam("Range") String range, @Context HttpServerRequest request) {
    return serve(mediaId, auth, range, request, false);
  }

  private Response serve(String mediaId, String auth, String rangeHeader, HttpServerRequest request, boolean body) {
    if (token.isEmpty()) {
      return text(Response.Status.NOT_FOUND, "archive read endpoint not configured");
    }
    if (!token.get().accepts(auth)) {
      Log.warnf("archive read of %s refused: %s bearer token from %s", safe(mediaId),
          auth == null ? "no" : "wrong", request.remoteAddress());
      return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .type(MediaType.TEXT_PLAIN).entity("missing or wrong bearer token\n").build();
    }
    if (!new Checks().id("mediaId", mediaId).ok()) {
      return text(Response.Status.BAD_REQUEST, "media id must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    MediaItem item;
    try {
      Optional<MediaItem> found = store.find(mediaId);
      if (found.isEmpty() || found.get().state() != ItemState.UPLOADED) {
        return text(Response.Status.NOT_FOUND, "media " + mediaId + " is not in the archive"
            + (found.isPresent() ? " (state " + found.get().state().db() + ")" : ""));
      }
      item = found.get();
    } catch (SQLException e) {
      Log.errorf("archive read of %s: database error %s", mediaId, e.getMessage());
      return text(Response.Status.INTERNAL_SERVER_ERROR, "database error");
    }
    ArchiveReader.Stored stored;
    try {
      Optional<ArchiveReader.Stored> s = reader.find(item);
      if (s.isEmpty()) {
        return text(Response.Status.NOT_FOUND, "media " + mediaId + " is no longer on the " + item.backend()
            + " backend");
      }
      stored = s.get();
    } catch (BackendPausedException | RetryableException e) {
      return unavailable(mediaId, e.getMessage());
    }

    long size = stored.size();
    ByteRange range = ByteRange.resolve(rangeHeader, size);
    if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
      return unsatisfiable(range);
    }
    long first = range.first();
    long last = range.last();
    long length = range.length();
    Response.ResponseBuilder r = Response.status(range.status())
        .type(OCTETS)
        .header("Accept-Ranges", "bytes")
        .header(HttpHeaders.CONTENT_LENGTH, length);
    if (range.contentRange() != null) {
      r.header("Content-Range", range.contentRange());
    }
    if (!body) {
      return r.build();
    }
    InputStream in;
    try {
      in = length == 0 ? InputStream.nullInputStream() : reader.open(stored, first, last);
    } catch (BackendPausedException | RetryableException e) {
      return unavailable(mediaId, e.getMessage());
    } catch (IOException e) {
      return unavailable(mediaId, e.getMessage());
    }
    long from = first;
    Log.debugf("archive read of %s: bytes %d-%d of %d from %s", mediaId, first, last, size, stored.backend());
    StreamingOutput out = os -> {
      try (InputStream src = in) {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
          int n = src.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("stored file ended early at byte " + (from + length - left));
          }
          os.write(buf, 0, n);
          left -= n;
        }
      } catch (IOException e) {
        Log.warnf("archive read of %s interrupted: %s", mediaId, e.getMessage());
        throw new UncheckedIOException(e);
      }
    };
    return r.entity(out).build();
  }

  private static Response unsatisfiable(ByteRange range) {
    return Response.status(416).header("Content-Range", range.contentRange()).type(MediaType.TEXT_PLAIN)
        .entity("range not satisfiable (" + range.contentRange() + ")\n").build();
  }

  private static Response unavailable(String mediaId, String why) {
    Log.warnf("archive read of %s: backend unavailable: %s", mediaId, why);
    return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "30")
        .type(MediaType.TEXT_PLAIN).entity("storage backend unavailable: " + why + "\n").build();
  }

  private static Response text(Response.Status status, String message) {
    return Response.status(status).type(MediaType.TEXT_PLAIN).entity(message + "\n").build();
  }

  /** The id as it may appear in a log line (it came from the request, so it is not trusted). */
  private static String safe(String id) {
    return id == null ? "?" : id.length() > 64 ? id.substring(0, 64) + "..." : id.replaceAll("[^A-Za-z0-9._:-]", "?");
  }
}
