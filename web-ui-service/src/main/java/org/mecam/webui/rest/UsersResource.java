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
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.mqtt.NotifierUserRemoval;
import org.mecam.webui.security.Accounts;
import org.mecam.webui.security.ApiTokens;
import org.mecam.webui.security.SecondFactor;
import org.mecam.webui.security.Sessions;

/**
 * The household's accounts (owners only: no method here is {@code @ViewerAllowed}): list, add a user as
 * owner or viewer, reset a user's password, remove a user (their sessions and API tokens end at once;
 * the last owner stays).
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
public class UsersResource {
  private final Accounts accounts;
  private final Sessions sessions;
  private final ApiTokens tokens;
  private final SecondFactor secondFactor;
  private final NotifierUserRemoval notifier;

  public UsersResource(Accounts accounts, Sessions sessions, ApiTokens tokens, SecondFactor secondFactor,
      NotifierUserRemoval notifier) {
    this.secondFactor = secondFactor;
    this.notifier = notifier;
    this.accounts = accounts;
    this.sessions = sessions;
    this.tokens = tokens;
  }

  @GET
  @Operation(summary = "The household's users and their roles (owners only)")
  public List<Accounts.UserInfo> list() {
    return accounts.list();
  }

  @POST
  @Operation(summary = "Add a user: {\"username\": \"sam\", \"password\": \"at least 10 characters\","
      + " \"role\": \"owner\"|\"viewer\"} (owners only)")
  public Accounts.UserInfo add(Map<String, Object> body, @Context RoutingContext ctx) {
    String username = Body.text(body, "username", 64, true);
    String password = Body.text(body, "password", 1024, true);
    String roleText = Body.text(body, "role", 16, true);
    Accounts.Role role = Accounts.Role.parse(roleText);
    if (role == null) {
      throw new BadInput("role must be \"owner\" or \"viewer\"");
    }
    String problem = Accounts.problem(username, password);
    if (problem != null) {
      throw new BadInput(problem);
    }
    try {
      Accounts.UserInfo added = accounts.addUser(username, password.toCharArray(), role);
      Log.infof("user '%s' added as %s by %s", username, role.db(), CamerasResource.user(ctx));
      return added;
    } catch (Accounts.Refused e) {
      throw new BadInput(e.getMessage());
    }
  }

  @POST
  @Path("/{username}/password")
  @Operation(summary = "Reset a user's password: {\"password\": \"at least 10 characters\","
      + " \"turnOffSecondFactor\": false}; their sessions end (owners only)")
  public Map<String, Object> resetPassword(@PathParam("username") String username, Map<String, Object> body,
      @Context RoutingContext ctx) {
    String password = Body.text(body, "password", 1024, true);
    String problem = Accounts.problem(username, password);
    if (problem != null) {
      throw new BadInput(problem);
    }
    if (accounts.role(username) == null || !accounts.changePassword(username, password.toCharArray())) {
      throw new NotFoundException("no user " + username);
    }
    boolean factorOff = Boolean.TRUE.equals(body.get("turnOffSecondFactor"));
    if (factorOff) {
      secondFactor.disable(username);
    }
    sessions.deleteAllOf(username);
    Log.infof("password of '%s' reset by %s%s; their sessions ended", username, CamerasResource.user(ctx),
        factorOff ? " (second factor turned off)" : "");
    return Map.of("reset", username, "secondFactorTurnedOff", factorOff);
  }

  @DELETE
  @Path("/{username}")
  @Operation(summary = "Remove a user; their sessions and API tokens end at once (owners only; not the last owner)")
  public Map<String, Object> remove(@PathParam("username") String username, @Context RoutingContext ctx) {
    boolean removed;
    try {
      removed = accounts.removeUser(username);
    } catch (Accounts.Refused e) {
      throw new BadInput(e.getMessage());
    }
    if (!removed) {
      throw new NotFoundException("no user " + username);
    }
    sessions.deleteAllOf(username);
    int revoked = tokens.revokeAllOf(username);
    notifier.userRemoved(username, CamerasResource.user(ctx));
    Log.infof("user '%s' removed by %s (%d API tokens revoked)", username, CamerasResource.user(ctx), revoked);
    return Map.of("removed", username);
  }
}
