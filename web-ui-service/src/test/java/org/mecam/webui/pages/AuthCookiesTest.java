package org.mecam.webui.pages;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.NewCookie;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mecam.webui.config.WebUiConfig;

/** Session cookies are Secure (by default), HttpOnly and SameSite=Strict; clearing one expires it. */
class AuthCookiesTest {
  static WebUiConfig config(boolean secure) {
    return (WebUiConfig) Proxy.newProxyInstance(WebUiConfig.class.getClassLoader(),
        new Class<?>[] {WebUiConfig.class}, (p, m, a) -> switch (m.getName()) {
          case "secureCookies" -> secure;
          case "sessionIdleTimeout" -> Duration.ofDays(14);
          default -> null;
        });
  }

  @Test
  void sessionCookieIsSecureHttpOnlyAndSameSiteStrict() {
    NewCookie c = new AuthCookies(config(true)).session("secret");
    assertThat(c.isSecure()).isTrue();
    assertThat(c.isHttpOnly()).isTrue();
    assertThat(c.getSameSite()).isEqualTo(NewCookie.SameSite.STRICT);
    assertThat(c.getPath()).isEqualTo("/");
    assertThat(c.getMaxAge()).isEqualTo(14 * 24 * 3600);
  }

  @Test
  void secureFlagCanBeTurnedOffForPlainHttpDevelopment() {
    AuthCookies cookies = new AuthCookies(config(false));
    assertThat(cookies.session("x").isSecure()).isFalse();
    assertThat(cookies.formCsrf("x").isHttpOnly()).isTrue();
    assertThat(cookies.clearSession().getMaxAge()).isZero();
  }

  @Test
  void loginRedirectsOnlyToLocalPaths() {
    assertThat(AuthPages.safeNext("/events?camera=porch")).isEqualTo("/events?camera=porch");
    assertThat(AuthPages.safeNext("//evil.example/")).isEqualTo("/");
    assertThat(AuthPages.safeNext("https://evil.example/")).isEqualTo("/");
    assertThat(AuthPages.safeNext("/\\evil.example")).isEqualTo("/");
    assertThat(AuthPages.safeNext(null)).isEqualTo("/");
  }
}
