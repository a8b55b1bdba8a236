package org.mecam.webui.security;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is making the current request: a logged-in user (with the session's CSRF token) or a
 * program holding an API token (with its id), with the user's role; put on the routing context by {@link AccessFilter}.
 */
public record Caller(String username, String csrfToken, String sessionHash, String tokenId, Accounts.Role role) {
  static final String KEY = "mecam.caller";

  /** True when the caller is a program with an API token (no session, no CSRF token). */
  public boolean viaToken() {
    return tokenId != null;
  }

  /**
   * The credential this request came with, as a key for state held per login ("session:<hash>" or
   * "token:<id>"): what one session unlocked belongs to that session alone.
   */
  public String credential() {
    return viaToken() ? ApiTokens.credential(tokenId) : Sessions.credential(sessionHash);
  }

  public boolean owner() {
    return role == Accounts.Role.OWNER;
  }

  /** The caller of this request, or null when it reached a public route without credentials. */
  public static Caller of(RoutingContext ctx) {
    return ctx == null ? null : ctx.get(KEY);
  }
}
