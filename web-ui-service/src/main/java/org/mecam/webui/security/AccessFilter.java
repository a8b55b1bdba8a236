package org.mecam.webui.security;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticates every HTTP request (pages, API, media, /q/*) before anything else runs: a session
 * cookie or bearer token is required except on the few public routes; state changes with a session need
 * the session's CSRF token in {@code X-CSRF-Token}; security headers go on every answer. What a caller
 * may do on the API and pages is decided later, on the resource method actually dispatched, by
 * {@link RouteAuthorization}; here only Quarkus's own {@code /q/} routes (outside JAX-RS, matched by
 * Vert.x on the same normalized path this filter sees) are closed to viewers, health excepted.
 */
@ApplicationScoped
public class AccessFilter {
  public static final String SESSION_COOKIE = "mecam_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** Routing-context key: the media id a valid signed snapshot link names (no caller then). */
  static final String SIGNED_MEDIA_KEY = "mecam.signed-media";

  /** Routes anyone may reach: login, first-run setup, health, the PWA shell and static assets. */
  static final Set<String> PUBLIC_EXACT = Set.of("/login", "/setup", "/api/setup", "/q/health", "/manifest.webmanifest",
      "/sw.js", "/offline.html", "/favicon.ico", "/favicon.svg");
  static final List<String> PUBLIC_PREFIXES = List.of("/q/health/", "/static/", "/icons/");
  private static final Pattern SIGNED_SNAPSHOT = Pattern.compile("/media/([A-Za-z0-9._:-]{1,64})/snapshot");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self';"
      + " manifest-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

  private final Sessions sessions;
  private final ApiTokens tokens;
  private final LinkSigner links;
  private final Accounts accounts;

  public AccessFilter(Sessions sessions, ApiTokens tokens, LinkSigner links, Accounts accounts) {
    this.sessions = sessions;
    this.tokens = tokens;
    this.links = links;
    this.accounts = accounts;
  }

  void register(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 10).handler(this::handle);
  }

  /** True for routes that need no credentials. */
  public static boolean isPublic(String path) {
    return PUBLIC_EXACT.contains(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
  }

  void handle(RoutingContext ctx) {
    var headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "same-origin");
    // The pages' policy, unless the answer brings a stricter one of its own (media: sandbox).
    ctx.addHeadersEndHandler(v -> {
      if (!headers.contains("Content-Security-Policy")) {
        headers.set("Content-Security-Policy", CSP);
      }
    });
    String path = ctx.normalizedPath();
    if (isPublic(path)) {
      ctx.next();
      return;
    }
    Caller caller = authenticate(ctx);
    if (caller == null) {
      if (signedSnapshot(ctx, path)) {
        ctx.next();
        return;
      }
      refuse(ctx, path);
      return;
    }
    if (!caller.viaToken() && !SAFE.contains(ctx.request().method())) {
      String given = ctx.request().getHeader(CSRF_HEADER);
      if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
          caller.csrfToken().getBytes(StandardCharsets.UTF_8))) {
        json(ctx, 403, "missing or wrong CSRF token (send the page's token in the X-CSRF-Token header)");
        return;
      }
    }
    if (!caller.owner() && path.startsWith("/q/")) {
      headers.set("Cache-Control", "no-store");
      json(ctx, 403, RouteAuthorization.VIEWER_REFUSED);
      return;
    }
    headers.set("Cache-Control", "no-store");
    ctx.put(Caller.KEY, caller);
    ctx.next();
  }

  private Caller authenticate(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ApiTokens.TokenInfo t = tokens.find(authorization.substring(7).trim());
      Accounts.Role role = t == null ? null : accounts.role(t.username());
      return role == null ? null : new Caller(t.username(), null, null, t.id(), role);
    }
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    if (cookie == null) {
      return null;
    }
    Sessions.Session s = sessions.find(cookie.getValue());
    Accounts.Role role = s == null ? null : accounts.role(s.username());
    return role == null ? null : new Caller(s.username(), s.csrfToken(), s.tokenHash(), null, role);
  }

  private boolean signedSnapshot(RoutingContext ctx, String path) {
    Matcher m = SIGNED_SNAPSHOT.matcher(path);
    if (!m.matches() || !SAFE.contains(ctx.request().method())) {
      return false;
    }
    // The link carries the user it was issued to: refused once that user is removed.
    String user = ctx.request().getParam("u");
    if (!links.verify(m.group(1), ctx.request().getParam("exp"), user, ctx.request().getParam("sig"))
        || accounts.role(user) == null) {
      return false;
    }
    ctx.put(SIGNED_MEDIA_KEY, m.group(1));
    return true;
  }

  private static void refuse(RoutingContext ctx, String path) {
    String accept = ctx.request().getHeader("Accept");
    boolean page = ctx.request().method() == HttpMethod.GET && accept != null && accept.contains("text/html")
        && !path.startsWith("/api/") && !path.startsWith("/q/");
    if (page) {
      String uri = ctx.request().uri();
      ctx.response().setStatusCode(302)
          .putHeader("Location", "/login?next=" + URLEncoder.encode(uri, StandardCharsets.UTF_8))
          .end();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"mecam\"");
    json(ctx, 401, "login required: send a session cookie or an 'Authorization: Bearer' API token");
  }

  private static void json(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end("{\"error\":\"" + message.replace("\"", "'") + "\"}");
  }
}
