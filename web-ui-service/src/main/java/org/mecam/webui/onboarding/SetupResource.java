package org.mecam.webui.onboarding;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.pages.AuthCookies;
import org.mecam.webui.rest.ApiError;
import org.mecam.webui.security.Sessions;
import org.mecam.webui.security.PublicRoute;

/**
 * {@code POST /api/setup}: first-run setup for scripts and tests (the HTML form at {@code /setup}
 * does the same). Public, but useless without the setup code from the web UI's log.
 */
@Path("/api/setup")
@Tag(name = "auth")
public class SetupResource {
  /** The setup request's JSON body. */
  public record SetupBody(String code, String username, String password, String passphrase, String publicUrl) {
    @Override
    public String toString() {
      return "SetupBody[username=" + username + ", publicUrl=" + publicUrl + "]";
    }
  }

  /** What a successful setup answers (the session cookie comes with it). */
  public record SetupDone(String username, String publicUrl, String csrfToken) {}

  private final Onboarding onboarding;
  private final AuthCookies cookies;
  private final PublicUrlSetting publicUrl;

  public SetupResource(Onboarding onboarding, AuthCookies cookies, PublicUrlSetting publicUrl) {
    this.onboarding = onboarding;
    this.cookies = cookies;
    this.publicUrl = publicUrl;
  }

  @PublicRoute
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create the owner account, archive key and public URL (public, with the setup code"
      + " from the log; only while no owner exists)")
  public Response setup(SetupBody body, @Context RoutingContext ctx) {
    if (body == null) {
      return error(400, "a JSON body with code, username, password, passphrase and publicUrl is required");
    }
    Sessions.Created s;
    try {
      s = onboarding.setup(new Onboarding.SetupRequest(body.code(), body.username(), body.password(),
          body.passphrase(), body.publicUrl()), address(ctx));
    } catch (Onboarding.Refused e) {
      return error(e.status(), e.getMessage());
    }
    return Response.status(201).type(MediaType.APPLICATION_JSON)
        .entity(new SetupDone(s.session().username(), publicUrl.get().orElse(null), s.session().csrfToken()))
        .cookie(cookies.session(s.cookieValue())).build();
  }

  /** The client's address, for throttling wrong setup codes. */
  public static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
  }

  private static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
  }
}
