package org.mecam.webui.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.domain.MediaView;
import org.mecam.webui.security.LinkSigner;
import org.mecam.webui.service.MediaFetcher;
import org.mecam.webui.store.EventQueries;

/**
 * Snapshots and clips: snapshots from the web UI's own copy (also reachable through signed expiring
 * links without a session), clips streamed from the camera agent with Range support while it has them.
 */
@jakarta.ws.rs.Path("/")
@Tag(name = "media")
public class MediaResource {
  /** A media file's record plus a signed snapshot link valid without a session. */
  public record MediaInfo(MediaView media, String signedSnapshotPath) {}

  private final EventQueries queries;
  private final MediaFetcher fetcher;
  private final LinkSigner links;

  public MediaResource(EventQueries queries, MediaFetcher fetcher, LinkSigner links) {
    this.queries = queries;
    this.fetcher = fetcher;
    this.links = links;
  }

  @GET
  @jakarta.ws.rs.Path("api/media/{mediaId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "A media file's record (camera, event, kind, stage) and a signed snapshot link")
  public MediaInfo info(@PathParam("mediaId") String mediaId) {
    MediaView m = find(mediaId);
    return new MediaInfo(m, "snapshot".equals(m.kind()) ? links.snapshotPath(m.mediaId()) : null);
  }

  @GET
  @jakarta.ws.rs.Path("media/{mediaId}/snapshot")
  @Produces("image/jpeg")
  @Operation(summary = "The snapshot image; with a valid exp+sig pair no session is needed")
  public Response snapshot(@PathParam("mediaId") String mediaId) {
    MediaView m = find(mediaId);
    if (!"snapshot".equals(m.kind())) {
      throw new NotFoundException("media " + mediaId + " is not a snapshot");
    }
    Path file = fetcher.snapshot(m).orElseThrow(() ->
        new NotFoundException("snapshot " + mediaId + " is not available (the camera no longer has it"
            + " or cannot be reached)"));
    return Response.ok(file.toFile(), "image/jpeg").header("Cache-Control", "private, max-age=86400").build();
  }

  @GET
  @jakarta.ws.rs.Path("media/{mediaId}/clip")
  @Produces("video/mp4")
  @Operation(summary = "The clip, streamed from the camera agent with Range support while the agent keeps it")
  public Response clip(@PathParam("mediaId") String mediaId, @HeaderParam("Range") String range) {
    MediaView m = find(mediaId);
    if (!"clip".equals(m.kind()) || m.url() == null) {
      throw new NotFoundException("media " + mediaId + " is not a clip");
    }
    HttpResponse<InputStream> r;
    try {
      r = fetcher.clip(m, range);
    } catch (IOException e) {
      throw new NotFoundException("clip " + mediaId + " is not available: the camera cannot be reached");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotFoundException("interrupted");
    }
    if (r.statusCode() != 200 && r.statusCode() != 206) {
      closeQuietly(r.body());
      throw new NotFoundException("clip " + mediaId + " is not available from the camera (HTTP "
          + r.statusCode() + "); cloud playback needs the archive key");
    }
    Response.ResponseBuilder b = Response.status(r.statusCode()).entity(r.body()).type("video/mp4")
        .header("Accept-Ranges", "bytes");
    r.headers().firstValue("Content-Range").ifPresent(v -> b.header("Content-Range", v));
    r.headers().firstValue("Content-Length").ifPresent(v -> b.header("Content-Length", v));
    return b.build();
  }

  private MediaView find(String mediaId) {
    return queries.media(Params.id("mediaId", mediaId))
        .orElseThrow(() -> new NotFoundException("no media " + mediaId));
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
