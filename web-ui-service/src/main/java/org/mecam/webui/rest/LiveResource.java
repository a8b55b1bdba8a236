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
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.Sessions;
import org.mecam.webui.service.LiveUpdates;
import org.mecam.webui.security.ViewerAllowed;

/**
 * Server-sent events for open dashboards: each change as {"type": ..., "data": ...}, plus keep-alives.
 * A stream opened with a session ends, with a last {"type": "session-ended"}, when that session ends
 * (logout, or expiry without use), so a logged-out browser stops receiving updates at once.
 */
@Path("/api/live")
@Tag(name = "live")
public class LiveResource {
  /** The last item of a stream whose session ended. */
  static final String SESSION_ENDED = "session-ended";

  private final LiveUpdates live;
  private final Sessions sessions;

  public LiveResource(LiveUpdates live, Sessions sessions) {
    this.live = live;
    this.sessions = sessions;
  }

  @ViewerAllowed
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Operation(summary = "Live changes (events, cameras, alerts, uploader statistics) as server-sent events;"
      + " ends with a session-ended item when the session ends")
  public Multi<LiveUpdates.Update> stream(@Context RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String session = caller == null ? null : caller.sessionHash();
    Multi<LiveUpdates.Update> ping = Multi.createFrom().ticks().every(Duration.ofSeconds(25))
        .map(t -> new LiveUpdates.Update("ping", null));
    Multi<LiveUpdates.Update> updates = Multi.createBy().merging().streams(
        Multi.createFrom().item(new LiveUpdates.Update("hello", null)), live.stream(), ping);
    if (session == null) {
      return updates;
    }
    LiveUpdates.Update end = new LiveUpdates.Update(SESSION_ENDED, null);
    Multi<LiveUpdates.Update> ended = sessions.ended().filter(session::equals).map(h -> end);
    return Multi.createBy().merging().streams(updates, ended)
        .select().first(u -> u != end && (!"ping".equals(u.type()) || sessions.live(session)))
        .onCompletion().continueWith(end);
  }
}
