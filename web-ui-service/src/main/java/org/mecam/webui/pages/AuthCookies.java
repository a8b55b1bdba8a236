package org.mecam.webui.pages;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.security.AccessFilter;

/** Builds the session and form cookies: HttpOnly, SameSite=Strict, Secure unless turned off for dev. */
@ApplicationScoped
public class AuthCookies {
  public static final String FORM_CSRF_COOKIE = "mecam_form_csrf";

  private final boolean secure;
  private final Duration sessionTtl;

  public AuthCookies(WebUiConfig config) {
    this.secure = config.secureCookies();
    this.sessionTtl = config.sessionIdleTimeout();
  }

  public NewCookie session(String value) {
    return cookie(AccessFilter.SESSION_COOKIE, value, (int) sessionTtl.toSeconds());
  }

  public NewCookie clearSession() {
    return cookie(AccessFilter.SESSION_COOKIE, "", 0);
  }

  /** The double-submit token for the login and setup forms (which run before there is a session). */
  public NewCookie formCsrf(String value) {
    return cookie(FORM_CSRF_COOKIE, value, 3600);
  }

  private NewCookie cookie(String name, String value, int maxAge) {
    return new NewCookie.Builder(name).value(value).path("/").maxAge(maxAge).httpOnly(true).secure(secure)
        .sameSite(NewCookie.SameSite.STRICT).build();
  }
}
