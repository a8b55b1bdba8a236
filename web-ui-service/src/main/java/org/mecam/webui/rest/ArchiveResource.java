package org.mecam.webui.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.domain.MediaView;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.ClientAddress;
import org.mecam.webui.security.KdfGate;
import org.mecam.webui.security.LoginThrottle;
import org.mecam.webui.service.ArchiveKey;
import org.mecam.webui.store.EventQueries;
import org.mecam.webui.security.ViewerAllowed;

/**
 * Playback from the encrypted archive: a user unlocks the archive key with the passphrase for their own
 * session (kept in memory for a limited time, never shared with other sessions), then stored clips are
 * read through the uploader and decrypted on the fly with Range support so video seeks.
 */
@jakarta.ws.rs.Path("/")
@Tag(name = "archive")
public class ArchiveResource {
  /** Whether playback from the archive is possible now. */
  public record ArchiveStatus(boolean configured, boolean unlocked, Instant unlockedUntil) {}

  private final ArchiveKey key;
  private final ArchivePlayback playback;
  private final EventQueries queries;
  private final LoginThrottle throttle;
  private final KdfGate gate;
  private final ClientAddress clientAddress;

  public ArchiveResource(ArchiveKey key, ArchivePlayback playback, EventQueries queries, LoginThrottle throttle,
      KdfGate gate, ClientAddress clientAddress) {
    this.gate = gate;
    this.clientAddress = clientAddress;
    this.key = key;
    this.playback = playback;
    this.queries = queries;
    this.throttle = throttle;
  }

  @ViewerAllowed
  @GET
  @jakarta.ws.rs.Path("api/archive")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Whether the archive is configured and its key unlocked (and until when)")
  public ArchiveStatus status(@Context RoutingContext ctx) {
    String credential = Caller.of(ctx).credential();
    return new ArchiveStatus(playback.configured(), key.key(credential).isPresent(),
        key.expiresAt(credential).orElse(null));
  }

  @ViewerAllowed
  @POST
  @jakarta.ws.rs.Path("api/archive/unlock")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Unlock the archive key with the owner's passphrase, for this session only:"
      + " {\"passphrase\": \"...\"}")
  public Response unlock(Map<String, Object> body, @Context RoutingContext ctx) throws IOException {
    String passphrase = Body.text(body, "passphrase", 1024, true);
    if (!key.configured()) {
      throw new BadInput("no owner key file is configured (mecam.webui.owner-key-file)");
    }
    String user = "archive:" + CamerasResource.user(ctx);
    String address = clientAddress.of(ctx);
    LoginThrottle.Decision decision = throttle.begin(user, address);
    if (!decision.allowed()) {
      Duration wait = decision.retryAfter();
      return ApiErrorMappers.error(429, "too many wrong passphrases; try again in " + (wait.toSeconds() + 1) + " s");
    }
    try {
      gate.run(() -> {
        try {
          return key.unlock(passphrase.toCharArray(), Caller.of(ctx).credential(), CamerasResource.user(ctx));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (ArchiveKey.WrongPassphrase e) {
      decision.attempt().failed();
      throw new BadInput("wrong passphrase");
    } catch (KdfGate.Busy e) {
      decision.attempt().cancelled();
      throw e;
    } catch (java.io.UncheckedIOException e) {
      decision.attempt().cancelled();
      throw e.getCause();
    } catch (RuntimeException e) {
      decision.attempt().cancelled();
      throw e;
    }
    decision.attempt().succeeded();
    return Response.ok(status(ctx)).build();
  }

  @ViewerAllowed
  @POST
  @jakarta.ws.rs.Path("api/archive/lock")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Forget the archive key this session unlocked (other sessions keep theirs)")
  public ArchiveStatus lock(@Context RoutingContext ctx) {
    key.lock(Caller.of(ctx).credential());
    return status(ctx);
  }

  @ViewerAllowed
  @GET
  @jakarta.ws.rs.Path("media/{mediaId}/archive")
  @Produces(MediaType.WILDCARD)
  @Operation(summary = "A clip or snapshot decrypted from the archive (read through the uploader, whichever"
      + " backend holds it), with Range support; the archive must be unlocked")
  public Response play(@PathParam("mediaId") String mediaId, @HeaderParam("Range") String range,
      @Context RoutingContext ctx) throws IOException {
    MediaView m = queries.media(Params.id("mediaId", mediaId))
        .orElseThrow(() -> new NotFoundException("no media " + mediaId));
    return playback.play(m, range, Caller.of(ctx),
        "the archive is locked for this session: unlock it with the passphrase first");
  }
}
