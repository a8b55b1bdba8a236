package org.mecam.webui.rest;

import io.smallrye.mutiny.Multi;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.mecam.webui.security.ApiTokens;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.Sessions;
import org.mecam.webui.service.LiveUpdates;
import org.mecam.webui.security.ViewerAllowed;

/**
 * Server-sent events for open dashboards: each change as {"type": ..., "data": ...}, plus keep-alives.
 * A stream ends, with a last {"type": "session-ended"}, when the credential it was opened with ends:
 * the session (logout, expiry without use, removal of the user) or the API token (revoked, or its
 * user removed) — at once on the event, and within {@link #CHECK_EVERY} in any case.
 */
@Path("/api/live")
@Tag(name = "live")
public class LiveResource {
  /** The last item of a stream whose session ended. */
  static final String SESSION_ENDED = "session-ended";

  /** Internal tick that re-checks the credential, so a stream never outlives it by more than this. */
  private static final String CHECK = "check";
  private static final Duration CHECK_EVERY = Duration.ofSeconds(2);

  private final LiveUpdates live;
  private final Sessions sessions;
  private final ApiTokens tokens;

  public LiveResource(LiveUpdates live, Sessions sessions, ApiTokens tokens) {
    this.live = live;
    this.sessions = sessions;
    this.tokens = tokens;
  }

  @ViewerAllowed
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Operation(summary = "Live changes (events, cameras, alerts, uploader statistics) as server-sent events;"
      + " ends with a session-ended item when the session ends")
  public Multi<LiveUpdates.Update> stream(@Context RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Multi<LiveUpdates.Update> ping = Multi.createFrom().ticks().every(Duration.ofSeconds(25))
        .map(t -> new LiveUpdates.Update("ping", null));
    Multi<LiveUpdates.Update> updates = Multi.createBy().merging().streams(
        Multi.createFrom().item(new LiveUpdates.Update("hello", null)), live.stream(), ping);
    LiveUpdates.Update end = new LiveUpdates.Update(SESSION_ENDED, null);
    Multi<LiveUpdates.Update> ended;
    java.util.function.BooleanSupplier stillValid;
    if (caller.viaToken()) {
      String token = caller.tokenId();
      ended = tokens.revoked().filter(token::equals).map(h -> end);
      stillValid = () -> tokens.live(token);
    } else {
      String session = caller.sessionHash();
      ended = sessions.ended().filter(session::equals).map(h -> end);
      stillValid = () -> sessions.live(session);
    }
    Multi<LiveUpdates.Update> check = Multi.createFrom().ticks().every(CHECK_EVERY)
        .map(t -> new LiveUpdates.Update(CHECK, null));
    return Multi.createBy().merging().streams(updates, ended, check)
        .select().first(u -> u != end
            && (!"ping".equals(u.type()) && !CHECK.equals(u.type()) || stillValid.getAsBoolean()))
        .select().where(u -> !CHECK.equals(u.type()))
        .onCompletion().continueWith(end);
  }
}
