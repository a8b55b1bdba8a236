package org.mecam.webui.security;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authorizes every API and page request on the resource method the router actually dispatched
 * (post-matching), never on the spelling of the path: a viewer reaches only methods marked
 * {@link ViewerAllowed}; anonymous callers only {@link PublicRoute} methods, or the one
 * {@link SignedLinkAllowed} method for the media a valid signed link names. Everything else is
 * refused, so no spelling ({@code ;x}, {@code %3B}, {@code //}, a trailing slash, case) that RESTEasy
 * routes to an owner-only method gets past it. {@link AccessFilter} still authenticates first.
 */
@ApplicationScoped
public class RouteAuthorization {
  static final String VIEWER_REFUSED = "viewers cannot change settings, disarm or manage accounts; ask an owner";

  @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
  public Response authorize(ContainerRequestContext request, ResourceInfo resource, RoutingContext ctx) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return error(403, "no route");
    }
    if (method.isAnnotationPresent(PublicRoute.class)) {
      return null;
    }
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      String signed = ctx == null ? null : ctx.get(AccessFilter.SIGNED_MEDIA_KEY);
      if (signed != null && method.isAnnotationPresent(SignedLinkAllowed.class)
          && signed.equals(request.getUriInfo().getPathParameters().getFirst("mediaId"))) {
        return null;
      }
      return error(401, "login required: send a session cookie or an 'Authorization: Bearer' API token");
    }
    if (caller.owner() || method.isAnnotationPresent(ViewerAllowed.class)) {
      return null;
    }
    return error(403, VIEWER_REFUSED);
  }

  private static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
        .entity(Map.of("error", message)).build();
  }
}
