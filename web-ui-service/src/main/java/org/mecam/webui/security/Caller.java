package org.mecam.webui.security;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is making the current request: a logged-in user (with the session's CSRF token) or a
 * program holding an API token, with the user's role; put on the routing context by {@link AccessFilter}.
 */
public record Caller(String username, String csrfToken, String sessionHash, boolean viaToken, Accounts.Role role) {
  static final String KEY = "mecam.caller";

  public boolean owner() {
    return role == Accounts.Role.OWNER;
  }

  /** The caller of this request, or null when it reached a public route without credentials. */
  public static Caller of(RoutingContext ctx) {
    return ctx == null ? null : ctx.get(KEY);
  }
}
