package org.mecam.webui.onboarding;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.rest.ApiError;

/** Adding and removing cameras, and their agent configuration (owners only: no method here is @ViewerAllowed). */
@Path("/api/cameras")
@Tag(name = "cameras")
public class CameraAdminResource {
  /** The camera to add. */
  public record NewCamera(String id, String name, String mediaUrl) {}

  private final CameraAdmin admin;

  public CameraAdminResource(CameraAdmin admin) {
    this.admin = admin;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Add a camera: broker credential, media token, registry entry; answers the agent"
      + " configuration file and a one-line install command (owner)")
  public Response add(NewCamera body, @Context RoutingContext ctx) {
    if (body == null) {
      return error(400, "a JSON body with id, name and mediaUrl is required");
    }
    try {
      CameraAdmin.Added a = admin.add(body.id(), body.name(), body.mediaUrl(), ctx.request().authority() == null
          ? null : ctx.request().authority().host());
      return Response.status(201).type(MediaType.APPLICATION_JSON).entity(a).build();
    } catch (CameraAdmin.Refused e) {
      return error(e.status(), e.getMessage());
    } catch (DynsecClient.Unavailable e) {
      return error(503, e.getMessage());
    }
  }

  @GET
  @Path("/{camera}/agent-config")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "Download the camera's agent configuration file (owner; holds its secrets)")
  public Response agentConfig(@PathParam("camera") String camera) {
    return admin.agentConfig(camera)
        .map(text -> Response.ok(text, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
            .header("Content-Disposition", "attachment; filename=\"camera-agent.properties\"")
            .header("Cache-Control", "no-store").build())
        .orElseGet(() -> error(404, "no camera '" + clip(camera) + "' was added here"));
  }

  @DELETE
  @Path("/{camera}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Remove a camera: its broker credential and media token are revoked at once (owner)")
  public Response remove(@PathParam("camera") String camera) {
    try {
      return admin.remove(camera) ? Response.noContent().build()
          : error(404, "no camera '" + clip(camera) + "' is registered");
    } catch (CameraAdmin.Refused e) {
      return error(e.status(), e.getMessage());
    } catch (DynsecClient.Unavailable e) {
      return error(503, e.getMessage());
    }
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 40 ? s.substring(0, 40) : s;
  }

  private static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
  }
}
