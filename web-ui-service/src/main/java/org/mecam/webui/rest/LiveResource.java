package org.mecam.webui.rest;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.mecam.webui.service.LiveUpdates;

/** Server-sent events for open dashboards: each change as {"type": ..., "data": ...}, plus keep-alives. */
@Path("/api/live")
@Tag(name = "live")
public class LiveResource {
  private final LiveUpdates live;

  public LiveResource(LiveUpdates live) {
    this.live = live;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Operation(summary = "Live changes (events, cameras, alerts, uploader statistics) as server-sent events")
  public Multi<LiveUpdates.Update> stream() {
    Multi<LiveUpdates.Update> ping = Multi.createFrom().ticks().every(Duration.ofSeconds(25))
        .map(t -> new LiveUpdates.Update("ping", null));
    return Multi.createBy().merging().streams(
        Multi.createFrom().item(new LiveUpdates.Update("hello", null)), live.stream(), ping);
  }
}
