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
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.crypto.EncryptedFileReader;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.webui.domain.MediaView;
import org.mecam.webui.security.LoginThrottle;
import org.mecam.webui.service.ArchiveKey;
import org.mecam.webui.service.ArchiveLocator;
import org.mecam.webui.store.EventQueries;

/**
 * Playback from the encrypted archive: the owner unlocks the archive key with the passphrase (kept in
 * memory for a limited time), then clips are decrypted on the fly with Range support so video seeks.
 */
@jakarta.ws.rs.Path("/")
@Tag(name = "archive")
public class ArchiveResource {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /** Whether playback from the archive is possible now. */
  public record ArchiveStatus(boolean configured, boolean unlocked, Instant unlockedUntil) {}

  private final ArchiveKey key;
  private final ArchiveLocator locator;
  private final EventQueries queries;
  private final LoginThrottle throttle;

  public ArchiveResource(ArchiveKey key, ArchiveLocator locator, EventQueries queries, LoginThrottle throttle) {
    this.key = key;
    this.locator = locator;
    this.queries = queries;
    this.throttle = throttle;
  }

  @GET
  @jakarta.ws.rs.Path("api/archive")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Whether the archive is configured and its key unlocked (and until when)")
  public ArchiveStatus status() {
    return new ArchiveStatus(key.configured() && locator.configured(), key.key().isPresent(),
        key.expiresAt().orElse(null));
  }

  @POST
  @jakarta.ws.rs.Path("api/archive/unlock")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Unlock the archive key with the owner's passphrase: {\"passphrase\": \"...\"}")
  public Response unlock(Map<String, Object> body, @Context RoutingContext ctx) throws IOException {
    String passphrase = Body.text(body, "passphrase", 1024, true);
    if (!key.configured()) {
      throw new BadInput("no owner key file is configured (mecam.webui.owner-key-file)");
    }
    String user = "archive:" + CamerasResource.user(ctx);
    String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
    Duration wait = throttle.waitFor(user, address);
    if (!wait.isZero()) {
      return ApiErrorMappers.error(429, "too many wrong passphrases; try again in " + (wait.toSeconds() + 1) + " s");
    }
    try {
      key.unlock(passphrase.toCharArray(), CamerasResource.user(ctx));
    } catch (ArchiveKey.WrongPassphrase e) {
      throttle.failed(user, address);
      throw new BadInput("wrong passphrase");
    }
    throttle.succeeded(user, address);
    return Response.ok(status()).build();
  }

  @POST
  @jakarta.ws.rs.Path("api/archive/lock")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Forget the archive key now")
  public ArchiveStatus lock() {
    key.lock();
    return status();
  }

  @GET
  @jakarta.ws.rs.Path("media/{mediaId}/archive")
  @Produces(MediaType.WILDCARD)
  @Operation(summary = "A clip or snapshot decrypted from the archive, with Range support (archive must be unlocked)")
  public Response play(@PathParam("mediaId") String mediaId, @HeaderParam("Range") String range) throws IOException {
    MediaView m = queries.media(Params.id("mediaId", mediaId))
        .orElseThrow(() -> new NotFoundException("no media " + mediaId));
    OwnerKeyPair k = key.key().orElse(null);
    if (k == null) {
      return ApiErrorMappers.error(423, "the archive is locked: unlock it with the passphrase first");
    }
    Path file = locator.find(m).orElseThrow(() ->
        new NotFoundException("media " + mediaId + " is not in the local archive"));
    EncryptedFileReader reader = EncryptedFileReader.open(file, k);
    long size = reader.plaintextSize();
    long start = 0;
    long end = size - 1;
    boolean partial = false;
    if (range != null) {
      Matcher r = RANGE.matcher(range.trim());
      if (!r.matches() || (r.group(1).isEmpty() && r.group(2).isEmpty())) {
        reader.close();
        return Response.status(416).header("Content-Range", "bytes */" + size).build();
      }
      if (r.group(1).isEmpty()) {
        start = Math.max(0, size - Long.parseLong(r.group(2)));
      } else {
        start = Long.parseLong(r.group(1));
        if (!r.group(2).isEmpty()) {
          end = Math.min(end, Long.parseLong(r.group(2)));
        }
      }
      if (start >= size || start > end) {
        reader.close();
        return Response.status(416).header("Content-Range", "bytes */" + size).build();
      }
      partial = true;
    }
    final long from = start;
    final long to = end;
    StreamingOutput body = out -> {
      try (reader) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos <= to) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity(), to - pos + 1));
          int n = reader.read(pos, buf);
          if (n <= 0) {
            break;
          }
          out.write(buf.array(), 0, n);
          pos += n;
        }
      }
    };
    String type = reader.contentType() == null ? m.contentType() : reader.contentType();
    Response.ResponseBuilder b = Response.status(partial ? 206 : 200).entity(body)
        .type(type == null ? "application/octet-stream" : type).header("Accept-Ranges", "bytes")
        .header("Content-Length", to - from + 1).header("Cache-Control", "no-store");
    if (partial) {
      b.header("Content-Range", "bytes " + from + "-" + to + "/" + size);
    }
    return b.build();
  }
}
