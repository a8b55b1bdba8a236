package org.mecam.webui.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.domain.CameraView;
import org.mecam.webui.security.Caller;
import org.mecam.webui.service.ArmService;
import org.mecam.webui.store.EventQueries;
import org.mecam.webui.security.ViewerAllowed;

/** Cameras as last seen on the broker, and arm/disarm commands to them. */
@Path("/api/cameras")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cameras")
public class CamerasResource {
  /** Answer to an arm/disarm request: the command was accepted by the broker. */
  public record ArmResult(List<String> cameras, boolean armed) {}

  private final EventQueries queries;
  private final ArmService arming;

  public CamerasResource(EventQueries queries, ArmService arming) {
    this.queries = queries;
    this.arming = arming;
  }

  @ViewerAllowed
  @GET
  @Operation(summary = "Every known camera: availability, armed, streaming, last motion, latest snapshot")
  public List<CameraView> list() {
    return queries.cameras();
  }

  @ViewerAllowed
  @GET
  @Path("/{camera}")
  @Operation(summary = "One camera")
  public CameraView one(@PathParam("camera") String camera) {
    return queries.camera(Params.camera(camera)).orElseThrow(() -> new NotFoundException("no camera " + camera));
  }

  @ViewerAllowed
  @POST
  @Path("/{camera}/arm")
  @Operation(summary = "Arm one camera (publishes an ArmCommand; the camera confirms with its retained state)")
  public ArmResult arm(@PathParam("camera") String camera, @Context RoutingContext ctx) {
    return one(camera, true, ctx);
  }

  @POST
  @Path("/{camera}/disarm")
  @Operation(summary = "Disarm one camera")
  public ArmResult disarm(@PathParam("camera") String camera, @Context RoutingContext ctx) {
    return one(camera, false, ctx);
  }

  @ViewerAllowed
  @POST
  @Path("/arm-all")
  @Operation(summary = "Arm every known camera")
  public ArmResult armAll(@Context RoutingContext ctx) {
    return new ArmResult(arming.setAllArmed(true, user(ctx)), true);
  }

  @POST
  @Path("/disarm-all")
  @Operation(summary = "Disarm every known camera")
  public ArmResult disarmAll(@Context RoutingContext ctx) {
    return new ArmResult(arming.setAllArmed(false, user(ctx)), false);
  }

  private ArmResult one(String camera, boolean armed, RoutingContext ctx) {
    String id = Params.camera(camera);
    if (id == null) {
      throw new BadInput("camera is required");
    }
    arming.setArmed(id, armed, user(ctx));
    return new ArmResult(List.of(id), armed);
  }

  static String user(RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    return c == null ? null : c.username();
  }
}
