package org.mecam.webui.rest;

import io.vertx.ext.web.RoutingContext;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.domain.MediaView;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.LinkSigner;
import org.mecam.webui.service.MediaFetcher;
import org.mecam.webui.store.EventQueries;
import org.mecam.webui.security.SignedLinkAllowed;
import org.mecam.webui.security.ViewerAllowed;

/**
 * Snapshots and clips: snapshots from the web UI's own copy (also reachable through signed expiring
 * links without a session); clips streamed with Range support from the camera agent while it has them,
 * then from the encrypted archive through the uploader once the owner has unlocked it.
 */
@jakarta.ws.rs.Path("/")
@Tag(name = "media")
public class MediaResource {
  /** A media file's record plus a signed snapshot link valid without a session. */
  public record MediaInfo(MediaView media, String signedSnapshotPath) {}

  /** How long to go straight to the archive after the agent said it lacks a clip (seeks come in bursts). */
  private static final long AGENT_MEMORY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

  private final EventQueries queries;
  private final MediaFetcher fetcher;
  private final LinkSigner links;
  private final ArchivePlayback archive;
  private final Map<String, Long> agentGone = new ConcurrentHashMap<>();

  public MediaResource(EventQueries queries, MediaFetcher fetcher, LinkSigner links, ArchivePlayback archive) {
    this.queries = queries;
    this.fetcher = fetcher;
    this.links = links;
    this.archive = archive;
  }

  @ViewerAllowed
  @GET
  @jakarta.ws.rs.Path("api/media/{mediaId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "A media file's record (camera, event, kind, stage) and a signed snapshot link")
  public MediaInfo info(@PathParam("mediaId") String mediaId, @jakarta.ws.rs.core.Context RoutingContext ctx) {
    MediaView m = find(mediaId);
    String user = CamerasResource.user(ctx);
    return new MediaInfo(m, "snapshot".equals(m.kind()) && user != null ? links.snapshotPath(m.mediaId(), user)
        : null);
  }

  @ViewerAllowed
  @SignedLinkAllowed
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
    return MediaHeaders.apply(Response.ok(file.toFile()), m).header("Cache-Control", "private, max-age=86400")
        .build();
  }

  @ViewerAllowed
  @GET
  @jakarta.ws.rs.Path("media/{mediaId}/clip")
  @Produces("video/mp4")
  @Operation(summary = "The clip with Range support: from the camera agent while it keeps the file, then from"
      + " the encrypted archive through the uploader (423 until the archive is unlocked)")
  public Response clip(@PathParam("mediaId") String mediaId, @HeaderParam("Range") String range,
      @Context RoutingContext ctx) throws IOException {
    MediaView m = find(mediaId);
    if (!"clip".equals(m.kind())) {
      throw new NotFoundException("media " + mediaId + " is not a clip");
    }
    String why = "the camera does not list it";
    if (m.url() != null && !agentLacks(mediaId)) {
      try {
        HttpResponse<InputStream> r = fetcher.clip(m, range);
        if (r.statusCode() == 200 || r.statusCode() == 206) {
          Response.ResponseBuilder b = MediaHeaders.apply(Response.status(r.statusCode()).entity(r.body()), m)
              .header("Accept-Ranges", "bytes");
          r.headers().firstValue("Content-Range").ifPresent(v -> b.header("Content-Range", v));
          r.headers().firstValue("Content-Length").ifPresent(v -> b.header("Content-Length", v));
          return b.build();
        }
        closeQuietly(r.body());
        if (r.statusCode() == 416) {
          return Response.status(416).header("Content-Range", r.headers().firstValue("Content-Range")
              .orElse("bytes */*")).build();
        }
        why = "the camera answered HTTP " + r.statusCode();
        if (r.statusCode() == 404 || r.statusCode() == 410) {
          rememberAgentLacks(mediaId);
        }
      } catch (IOException e) {
        why = "the camera cannot be reached";
        rememberAgentLacks(mediaId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotFoundException("interrupted");
      }
    }
    if (!archive.configured()) {
      throw new NotFoundException("clip " + mediaId + " is not available: " + why
          + ", and playback from the archive is not configured");
    }
    return archive.play(m, range, Caller.of(ctx), "clip " + mediaId + " is no longer on the camera (" + why
        + "): unlock the archive with the passphrase to play the stored copy");
  }

  private void rememberAgentLacks(String mediaId) {
    if (agentGone.size() > 1000) {
      agentGone.clear();
    }
    agentGone.put(mediaId, System.nanoTime());
  }

  /** True when the agent recently said it does not have this clip (or could not be reached). */
  private boolean agentLacks(String mediaId) {
    Long at = agentGone.get(mediaId);
    if (at == null) {
      return false;
    }
    if (System.nanoTime() - at > AGENT_MEMORY_NANOS) {
      agentGone.remove(mediaId);
      return false;
    }
    return true;
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
