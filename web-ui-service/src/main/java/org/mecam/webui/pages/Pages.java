package org.mecam.webui.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.events.CameraIds;
import org.mecam.webui.domain.EventQuery;
import org.mecam.webui.domain.EventView;
import org.mecam.webui.security.Caller;
import org.mecam.webui.store.EventQueries;
import org.mecam.webui.security.ViewerAllowed;

/** The owner's pages: dashboard, events, cloud settings, notification settings, account. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "pages")
public class Pages {
  private final Template dashboard;
  private final Template events;
  private final Template event;
  private final Template cloud;
  private final Template notifications;
  private final Template account;
  private final EventQueries queries;

  public Pages(@Location("dashboard.html") Template dashboard, @Location("events.html") Template events,
      @Location("event.html") Template event, @Location("cloud_settings.html") Template cloud,
      @Location("notification_settings.html") Template notifications,
      @Location("account.html") Template account, EventQueries queries) {
    this.dashboard = dashboard;
    this.events = events;
    this.event = event;
    this.cloud = cloud;
    this.notifications = notifications;
    this.account = account;
    this.queries = queries;
  }

  @ViewerAllowed
  @GET
  @Operation(summary = "Dashboard page: cameras, arm/disarm, latest events, live")
  public TemplateInstance dashboard(@Context RoutingContext ctx) {
    return page(dashboard, ctx, "dashboard").data("cameras", queries.cameras())
        .data("events", queries.events(new EventQuery(null, null, null, 12)))
        .data("alerts", queries.alerts(5));
  }

  @ViewerAllowed
  @GET
  @Path("events")
  @Operation(summary = "Events page with filters by camera and date")
  public TemplateInstance events(@QueryParam("camera") String camera, @QueryParam("date") String date,
      @Context RoutingContext ctx) {
    String cam = camera == null || camera.isBlank() || CameraIds.problem(camera) != null ? null : camera;
    Instant from = null;
    Instant to = null;
    String error = null;
    if (date != null && !date.isBlank()) {
      try {
        LocalDate d = LocalDate.parse(date);
        from = d.atStartOfDay(ZoneOffset.UTC).toInstant();
        to = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        error = "The date must look like 2026-01-31.";
      }
    }
    if (camera != null && !camera.isBlank() && cam == null) {
      error = "Unknown camera id.";
    }
    return page(events, ctx, "events").data("cameras", queries.cameras())
        .data("events", queries.events(new EventQuery(cam, from, to, 200)))
        .data("camera", cam == null ? "" : cam).data("date", date == null ? "" : date).data("error", error);
  }

  @ViewerAllowed
  @GET
  @Path("events/{eventId}")
  @Operation(summary = "One event with its snapshot and clip")
  public TemplateInstance event(@PathParam("eventId") String eventId, @Context RoutingContext ctx) {
    if (eventId == null || !eventId.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new NotFoundException("no such event");
    }
    EventView e = queries.event(eventId).orElseThrow(() -> new NotFoundException("no event " + eventId));
    return page(event, ctx, "events").data("e", e);
  }

  @ViewerAllowed
  @GET
  @Path("cloud_settings")
  @Operation(summary = "Cloud backup settings page")
  public TemplateInstance cloudSettings(@Context RoutingContext ctx) {
    return page(cloud, ctx, "cloud");
  }

  @ViewerAllowed
  @GET
  @Path("notification_settings")
  @Operation(summary = "Notification settings page")
  public TemplateInstance notificationSettings(@Context RoutingContext ctx) {
    return page(notifications, ctx, "notifications").data("cameras", queries.cameras());
  }

  @ViewerAllowed
  @GET
  @Path("account")
  @Operation(summary = "Account page: API tokens and, for owners, the household's users")
  public TemplateInstance account(@Context RoutingContext ctx) {
    return page(account, ctx, "account");
  }

  private static TemplateInstance page(Template t, RoutingContext ctx, String nav) {
    Caller caller = Caller.of(ctx);
    return t.data("nav", nav).data("user", caller == null ? "" : caller.username())
        .data("owner", caller != null && caller.owner())
        .data("csrf", caller == null || caller.csrfToken() == null ? "" : caller.csrfToken());
  }
}
