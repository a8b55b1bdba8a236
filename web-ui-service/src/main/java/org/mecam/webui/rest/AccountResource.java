package org.mecam.webui.rest;

import io.quarkus.logging.Log;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.security.Accounts;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.ClientAddress;
import org.mecam.webui.security.LoginThrottle;
import org.mecam.webui.security.SecondFactor;
import org.mecam.webui.security.Sessions;
import org.mecam.webui.security.ViewerAllowed;

/**
 * The caller's own account, for owners and viewers alike: change the password (the current one is
 * required, and checking it is throttled like a login), list and end one's own sessions, and turn the
 * optional TOTP second factor on (with one-time recovery codes) or off.
 */
@Path("/api/account")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "account")
public class AccountResource {
  /** What the account page shows. */
  public record AccountInfo(String username, String role, boolean secondFactor, int recoveryCodesLeft) {}

  private final Accounts accounts;
  private final Sessions sessions;
  private final SecondFactor secondFactor;
  private final LoginThrottle throttle;
  private final ClientAddress clientAddress;

  public AccountResource(Accounts accounts, Sessions sessions, SecondFactor secondFactor, LoginThrottle throttle,
      ClientAddress clientAddress) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.secondFactor = secondFactor;
    this.throttle = throttle;
    this.clientAddress = clientAddress;
  }

  @ViewerAllowed
  @GET
  @Operation(summary = "The caller's account: name, role, whether the second factor is on, recovery codes left")
  public AccountInfo get(@Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    return new AccountInfo(c.username(), c.role().db(), secondFactor.enabled(c.username()),
        secondFactor.recoveryCodesLeft(c.username()));
  }

  @ViewerAllowed
  @POST
  @Path("/password")
  @Operation(summary = "Change your password: {\"current\": \"...\", \"password\": \"at least 10 characters\"};"
      + " your other sessions end")
  public Map<String, Object> changePassword(Map<String, Object> body, @Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    String current = Body.text(body, "current", 1024, true);
    String password = Body.text(body, "password", 1024, true);
    String problem = Accounts.problem(c.username(), password);
    if (problem != null) {
      throw new BadInput(problem);
    }
    requirePassword(c, current, ctx);
    accounts.changePassword(c.username(), password.toCharArray());
    sessions.deleteAllOfExcept(c.username(), c.sessionHash());
    Log.infof("user '%s' changed their password; their other sessions ended", c.username());
    return Map.of("changed", true);
  }

  @ViewerAllowed
  @GET
  @Path("/sessions")
  @Operation(summary = "Your live sessions (id, opened, last used, browser, address; the current one marked)")
  public List<Sessions.SessionInfo> sessions(@Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    return sessions.list(c.username(), c.sessionHash());
  }

  @ViewerAllowed
  @DELETE
  @Path("/sessions/{id}")
  @Operation(summary = "End one of your sessions (404 for anyone else's)")
  public Map<String, Object> endSession(@PathParam("id") String id, @Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    if (!sessions.endOwn(c.username(), Params.id("id", id))) {
      throw new NotFoundException("you have no session " + id);
    }
    return Map.of("ended", id);
  }

  @ViewerAllowed
  @POST
  @Path("/totp/setup")
  @Operation(summary = "Start turning on the second factor: {\"password\": \"...\"} → the secret and an otpauth://"
      + " URI for the authenticator app; on only after /totp/enable with a code")
  public SecondFactor.Enrolment setupTotp(Map<String, Object> body, @Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    requirePassword(c, Body.text(body, "password", 1024, true), ctx);
    return secondFactor.begin(c.username(), "mecam");
  }

  @ViewerAllowed
  @POST
  @Path("/totp/enable")
  @Operation(summary = "Finish turning on the second factor: {\"code\": \"123456\"} from the app → ten one-time"
      + " recovery codes, shown this once")
  public Map<String, Object> enableTotp(Map<String, Object> body, @Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    String code = Body.text(body, "code", 16, true);
    List<String> codes = secondFactor.confirm(c.username(), code)
        .orElseThrow(() -> new BadInput("wrong code (or no set-up started): check the app's clock and try the"
            + " current code"));
    Log.infof("user '%s' turned the second factor on", c.username());
    return Map.of("enabled", true, "recoveryCodes", codes);
  }

  @ViewerAllowed
  @POST
  @Path("/totp/disable")
  @Operation(summary = "Turn the second factor off: {\"password\": \"...\"}")
  public Map<String, Object> disableTotp(Map<String, Object> body, @Context RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    requirePassword(c, Body.text(body, "password", 1024, true), ctx);
    secondFactor.disable(c.username());
    Log.infof("user '%s' turned the second factor off", c.username());
    return Map.of("enabled", false);
  }

  /** Checks the caller's password, throttled like logins (a stolen session cannot guess it). */
  private void requirePassword(Caller c, String password, RoutingContext ctx) {
    String key = "account:" + c.username();
    LoginThrottle.Decision d = throttle.begin(key, clientAddress.of(ctx));
    if (!d.allowed()) {
      Duration wait = d.retryAfter();
      throw new jakarta.ws.rs.WebApplicationException("too many wrong passwords; try again in "
          + (wait.toSeconds() + 1) + " s", 429);
    }
    boolean right;
    try {
      right = accounts.verify(c.username(), password.toCharArray());
    } catch (RuntimeException e) {
      d.attempt().cancelled();
      throw e;
    }
    if (!right) {
      d.attempt().failed();
      throw new BadInput("your current password is wrong");
    }
    d.attempt().succeeded();
  }
}
