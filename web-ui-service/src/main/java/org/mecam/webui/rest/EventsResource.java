package org.mecam.webui.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.domain.EventQuery;
import org.mecam.webui.domain.EventView;
import org.mecam.webui.store.EventQueries;
import org.mecam.webui.security.ViewerAllowed;

/** Lists motion events recorded from the broker, newest first. */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "events")
public class EventsResource {
  private final EventQueries queries;

  public EventsResource(EventQueries queries) {
    this.queries = queries;
  }

  @ViewerAllowed
  @GET
  @Operation(summary = "Motion events, newest first",
      description = "One entry per event id (start/update/end merged), with the snapshot and clip media ids"
          + " once known. Times are ISO-8601; from/to also accept a date (UTC midnight).")
  public List<EventView> list(
      @Parameter(description = "only this camera") @QueryParam("camera") String camera,
      @Parameter(description = "events that started at or after this instant or date") @QueryParam("from") String from,
      @Parameter(description = "events that started before this instant or date") @QueryParam("to") String to,
      @Parameter(description = "at most this many (1-500, default 50)") @QueryParam("limit") String limit) {
    Instant f = Params.instant("from", from);
    Instant t = Params.instant("to", to);
    if (f != null && t != null && !f.isBefore(t)) {
      throw new BadInput("from must be before to");
    }
    int n = Params.integer("limit", limit, EventQuery.DEFAULT_LIMIT, 1, EventQuery.MAX_LIMIT);
    return queries.events(new EventQuery(Params.camera(camera), f, t, n));
  }

  @ViewerAllowed
  @GET
  @Path("/{eventId}")
  @Operation(summary = "One motion event")
  public EventView one(@PathParam("eventId") String eventId) {
    return queries.event(Params.id("eventId", eventId))
        .orElseThrow(() -> new NotFoundException("no event " + eventId));
  }
}
