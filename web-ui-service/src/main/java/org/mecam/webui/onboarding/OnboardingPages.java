package org.mecam.webui.onboarding;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.cameras.RegisteredCamera;
import org.mecam.webui.domain.CameraView;
import org.mecam.webui.security.Caller;
import org.mecam.webui.store.EventQueries;

/** The onboarding pages: the getting-started checklist after setup and the cameras page (owners). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "pages")
public class OnboardingPages {
  /** A registered camera as the cameras page shows it (never its token). */
  public record CameraRow(String id, String name, String mediaUrl, String addedAt, boolean online, boolean seen) {}

  private final Template welcome;
  private final Template cameras;
  private final CameraAdmin admin;
  private final EventQueries queries;
  private final PublicUrlSetting publicUrl;
  private final ArchiveKeyFiles keys;

  public OnboardingPages(@Location("welcome.html") Template welcome, @Location("cameras_manage.html") Template cameras,
      CameraAdmin admin, EventQueries queries, PublicUrlSetting publicUrl, ArchiveKeyFiles keys) {
    this.welcome = welcome;
    this.cameras = cameras;
    this.admin = admin;
    this.queries = queries;
    this.publicUrl = publicUrl;
    this.keys = keys;
  }

  @GET
  @Path("welcome")
  @Operation(summary = "Getting started: setup, add a camera, copy its settings, link storage (owner)")
  public TemplateInstance welcome(@Context RoutingContext ctx) {
    List<CameraRow> rows = rows();
    return page(welcome, ctx).data("cameras", rows)
        .data("hasCamera", !rows.isEmpty())
        .data("cameraOnline", rows.stream().anyMatch(CameraRow::seen))
        .data("publicUrl", publicUrl.get().orElse(""))
        .data("ownerKey", keys.ownerKey().toString());
  }

  @GET
  @Path("cameras/manage")
  @Operation(summary = "Cameras page: add a camera, copy its agent settings, remove it (owner)")
  public TemplateInstance manage(@Context RoutingContext ctx) {
    return page(cameras, ctx).data("cameras", rows()).data("publicUrl", publicUrl.get().orElse(""));
  }

  private List<CameraRow> rows() {
    Map<String, CameraView> seen = queries.cameras().stream()
        .collect(Collectors.toMap(CameraView::camera, v -> v, (a, b) -> a));
    return admin.all().stream().map((RegisteredCamera c) -> {
      CameraView v = seen.get(c.id());
      return new CameraRow(c.id(), c.name(), c.mediaUrl().toString(), c.addedAt().toString(),
          v != null && v.online(), v != null && v.availability() != null);
    }).toList();
  }

  private static TemplateInstance page(Template t, RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return t.data("nav", "cameras").data("user", caller == null ? "" : caller.username())
        .data("owner", caller != null && caller.owner())
        .data("csrf", caller == null || caller.csrfToken() == null ? "" : caller.csrfToken());
  }

}
