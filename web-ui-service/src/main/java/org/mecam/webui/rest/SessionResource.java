package org.mecam.webui.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.ViewerAllowed;

/** Who is calling, and the session's CSRF token for scripts without a page (the service worker). */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "session")
public class SessionResource {
  /** The caller, their role ("owner" or "viewer") and, for a session, its CSRF token. */
  public record SessionInfo(String username, boolean viaToken, String csrfToken, String role) {}

  @ViewerAllowed
  @GET
  @Operation(summary = "The current user, their role and the session's CSRF token (same-origin scripts only)")
  public SessionInfo get(@Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    return new SessionInfo(c.username(), c.viaToken(), c.csrfToken(), c.role().db());
  }
}
