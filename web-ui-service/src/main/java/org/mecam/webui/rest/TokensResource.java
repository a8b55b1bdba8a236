package org.mecam.webui.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.security.ApiTokens;

/** API tokens for scripts and other programs; the secret is shown once, when made. */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
public class TokensResource {
  private final ApiTokens tokens;

  public TokensResource(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @GET
  @Operation(summary = "The API tokens (names and dates, never the secrets)")
  public List<ApiTokens.TokenInfo> list() {
    return tokens.list();
  }

  @POST
  @Operation(summary = "Make a token: {\"name\": \"home assistant\"}; the answer holds the secret once")
  public ApiTokens.NewToken create(Map<String, Object> body, @Context RoutingContext ctx) {
    String name = Body.text(body, "name", 64, true);
    return tokens.create(name.strip(), CamerasResource.user(ctx));
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Revoke a token")
  public Map<String, Object> revoke(@PathParam("id") String id) {
    if (!tokens.revoke(Params.id("id", id))) {
      throw new NotFoundException("no token " + id);
    }
    return Map.of("revoked", id);
  }
}
