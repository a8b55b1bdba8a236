package org.mecam.webui.pages;

import io.quarkus.logging.Log;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.secrets.SecretFiles;
import org.mecam.webui.onboarding.Onboarding;
import org.mecam.webui.onboarding.SetupResource;
import org.mecam.webui.security.Accounts;
import org.mecam.webui.security.ApiTokens;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.ClientAddress;
import org.mecam.webui.security.KdfGate;
import org.mecam.webui.security.LoginThrottle;
import org.mecam.webui.security.SecondFactor;
import org.mecam.webui.security.Sessions;
import org.mecam.webui.security.PublicRoute;
import org.mecam.webui.security.ViewerAllowed;

/** First-run setup (the form; the work is {@link Onboarding}'s), login and logout. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "auth")
public class AuthPages {
  private final Template login;
  private final Template setup;
  private final Accounts accounts;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final AuthCookies cookies;
  private final ApiTokens tokens;
  private final ClientAddress clientAddress;
  private final SecondFactor secondFactor;
  private final Onboarding onboarding;

  public AuthPages(@Location("login.html") Template login, @Location("setup.html") Template setup,
      Accounts accounts, Sessions sessions, LoginThrottle throttle, AuthCookies cookies, ApiTokens tokens,
      ClientAddress clientAddress, SecondFactor secondFactor, Onboarding onboarding) {
    this.clientAddress = clientAddress;
    this.secondFactor = secondFactor;
    this.onboarding = onboarding;
    this.login = login;
    this.setup = setup;
    this.accounts = accounts;
    this.sessions = sessions;
    this.throttle = throttle;
    this.cookies = cookies;
    this.tokens = tokens;
  }

  @PublicRoute
  @GET
  @Path("login")
  @Operation(summary = "Login page (public)")
  public Response loginPage(@QueryParam("next") String next) {
    if (!accounts.ownerExists()) {
      return redirect("/setup");
    }
    return form(login, 200, null, next, "").build();
  }

  @PublicRoute
  @POST
  @Path("login")
  @Operation(summary = "Log in with user name and password (public; form post with the form's CSRF token)")
  public Response login(@FormParam("username") String username, @FormParam("password") String password,
      @FormParam("code") String code, @FormParam("csrf") String csrf, @FormParam("next") String next,
      @CookieParam(AuthCookies.FORM_CSRF_COOKIE) String csrfCookie, @Context RoutingContext ctx) {
    if (!sameToken(csrf, csrfCookie)) {
      return form(login, 403, "The form expired; please try again.", next, username).build();
    }
    String user = username == null ? "" : username.strip();
    String address = clientAddress.of(ctx);
    LoginThrottle.Decision decision = throttle.begin(user, address);
    if (!decision.allowed()) {
      Duration wait = decision.retryAfter();
      Log.infof("login for '%s' from %s refused: throttled for %d s", clip(user), address, wait.toSeconds() + 1);
      return form(login, 429, "Too many failed attempts. Try again in " + (wait.toSeconds() + 1) + " s.",
          next, user).header("Retry-After", wait.toSeconds() + 1).build();
    }
    LoginThrottle.Attempt attempt = decision.attempt();
    boolean right;
    try {
      right = password != null && password.length() <= 1024 && accounts.verify(user, password.toCharArray());
    } catch (KdfGate.Busy e) {
      attempt.cancelled();
      Log.infof("login for '%s' from %s refused: too many logins at once", clip(user), address);
      return form(login, 503, "Too many logins at once. Try again in a moment.", next, user)
          .header("Retry-After", "1").build();
    }
    if (!right) {
      attempt.failed();
      Log.infof("failed login for '%s' from %s", clip(user), address);
      return form(login, 401, "Wrong user name or password.", next, user).build();
    }
    if (secondFactor.enabled(user) && !secondFactor.check(user, code)) {
      attempt.failed();
      Log.infof("failed login for '%s' from %s: %s second-factor code", clip(user), address,
          code == null || code.isBlank() ? "no" : "wrong or used");
      return form(login, 401, code == null || code.isBlank()
          ? "Enter the code from your authenticator app (or a recovery code)."
          : "Wrong or already used code.", next, user).build();
    }
    attempt.succeeded();
    Sessions.Created s = sessions.create(user, ctx.request().getHeader("User-Agent"), address);
    Log.infof("user '%s' logged in from %s", user, address);
    return Response.seeOther(URI.create(safeNext(next))).cookie(cookies.session(s.cookieValue())).build();
  }

  @PublicRoute
  @GET
  @Path("setup")
  @Operation(summary = "First-run setup page (public until the owner exists)")
  public Response setupPage() {
    if (accounts.ownerExists()) {
      return redirect("/login");
    }
    return setupForm(200, null, "", "");
  }

  @PublicRoute
  @POST
  @Path("setup")
  @Operation(summary = "Create the owner account, archive key and public URL (public, only while no owner"
      + " exists, with the setup code from the log)")
  public Response createOwner(@FormParam("code") String code, @FormParam("username") String username,
      @FormParam("password") String password, @FormParam("confirm") String confirm,
      @FormParam("passphrase") String passphrase, @FormParam("passphraseConfirm") String passphraseConfirm,
      @FormParam("publicUrl") String publicUrl, @FormParam("csrf") String csrf,
      @CookieParam(AuthCookies.FORM_CSRF_COOKIE) String csrfCookie, @Context RoutingContext ctx) {
    if (accounts.ownerExists()) {
      return redirect("/login");
    }
    String user = username == null ? "" : username.strip();
    if (!sameToken(csrf, csrfCookie)) {
      return setupForm(403, "The form expired; please try again.", user, publicUrl);
    }
    String problem = password != null && !password.equals(confirm) ? "the two passwords differ"
        : passphrase != null && !passphrase.equals(passphraseConfirm) ? "the two archive passphrases differ" : null;
    if (problem != null) {
      return setupForm(400, capitalise(problem) + ".", user, publicUrl);
    }
    Sessions.Created s;
    try {
      s = onboarding.setup(new Onboarding.SetupRequest(code, user, password, passphrase, publicUrl),
          SetupResource.address(ctx));
    } catch (Onboarding.Refused e) {
      if (e.status() == 409) {
        return redirect("/login");
      }
      return setupForm(e.status(), capitalise(e.getMessage()) + ".", user, publicUrl);
    }
    return Response.seeOther(URI.create("/welcome")).cookie(cookies.session(s.cookieValue())).build();
  }

  private Response setupForm(int status, String error, String username, String publicUrl) {
    String token = SecretFiles.randomToken(24);
    TemplateInstance page = setup.data("error", error).data("next", "/").data("csrf", token)
        .data("username", username == null ? "" : username).data("publicUrl", publicUrl == null ? "" : publicUrl)
        .data("user", "").data("nav", "");
    return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE)
        .cookie(cookies.formCsrf(token)).build();
  }

  @ViewerAllowed
  @POST
  @Path("logout")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "End the current session")
  public Response logout(@Context RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller != null && caller.sessionHash() != null) {
      sessions.delete(caller.sessionHash());
    }
    return Response.noContent().cookie(cookies.clearSession()).build();
  }

  private Response.ResponseBuilder form(Template template, int status, String error, String next, String username) {
    String token = SecretFiles.randomToken(24);
    TemplateInstance page = template.data("error", error).data("next", safeNext(next)).data("csrf", token)
        .data("username", username == null ? "" : username).data("user", "").data("nav", "");
    return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE)
        .cookie(cookies.formCsrf(token));
  }

  private static Response redirect(String to) {
    return Response.seeOther(URI.create(to)).build();
  }

  private static boolean sameToken(String a, String b) {
    return a != null && b != null && !a.isEmpty()
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Only local paths, so the login form cannot be used to send people elsewhere. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.length() > 500 || next.startsWith("/login") || next.startsWith("/setup")) {
      return "/";
    }
    return next;
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
