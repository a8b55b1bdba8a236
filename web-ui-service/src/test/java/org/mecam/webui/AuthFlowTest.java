package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.security.LoginThrottle;
import org.mecam.webui.security.PasswordHasher;
import org.mecam.webui.security.Sessions;
import org.mecam.webui.store.WebUiDatabase;

/** Login with form CSRF, session cookies, CSRF on state changes, throttling, logout, tokens. */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class AuthFlowTest {
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @Inject
  WebUiDatabase db;
  @Inject
  Clock clock;
  @Inject
  WebUiConfig config;
  @Inject
  LoginThrottle throttle;

  /** Logs in through the real form and returns the session cookie value. */
  static String login(String user, String password) {
    Response page = given().get("/login");
    String formToken = page.cookie("mecam_form_csrf");
    Matcher m = CSRF_FIELD.matcher(page.asString());
    assertThat(m.find()).isTrue();
    Response r = given().redirects().follow(false).cookie("mecam_form_csrf", formToken)
        .formParam("username", user).formParam("password", password).formParam("csrf", m.group(1))
        .formParam("next", "/events").post("/login");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
    assertThat(r.header("Location")).endsWith("/events");
    return r.cookie("mecam_session");
  }

  static String csrfOf(String session) {
    return given().cookie("mecam_session", session).get("/api/session").jsonPath().getString("csrfToken");
  }

  @Test
  void loginSetsAnHttpOnlySameSiteStrictSessionCookieThatOpensPagesAndApi() {
    Response page = given().get("/login");
    Matcher m = CSRF_FIELD.matcher(page.asString());
    assertThat(m.find()).isTrue();
    Response r = given().redirects().follow(false).cookie("mecam_form_csrf", page.cookie("mecam_form_csrf"))
        .formParam("username", TestSetup.OWNER).formParam("password", TestSetup.PASSWORD)
        .formParam("csrf", m.group(1)).post("/login");
    assertThat(r.statusCode()).isEqualTo(303);
    String setCookie = r.headers().getValues("Set-Cookie").stream().filter(h -> h.startsWith("mecam_session="))
        .findFirst().orElseThrow();
    assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
    String session = r.cookie("mecam_session");
    given().cookie("mecam_session", session).get("/").then().statusCode(200).body(containsString("Cameras"));
    given().cookie("mecam_session", session).get("/api/events").then().statusCode(200);
  }

  @Test
  void loginFormWithoutItsCsrfTokenIsRefused() {
    given().formParam("username", TestSetup.OWNER).formParam("password", TestSetup.PASSWORD)
        .formParam("csrf", "guess").post("/login").then().statusCode(403);
  }

  @Test
  void stateChangesWithASessionNeedTheCsrfHeaderButTokensDoNot() {
    String session = login(TestSetup.OWNER, TestSetup.PASSWORD);
    given().cookie("mecam_session", session).contentType("application/json").body("{}")
        .post("/api/cameras/porch/arm").then().statusCode(403).body("error", containsString("CSRF"));
    given().cookie("mecam_session", session).header("X-CSRF-Token", "wrong").contentType("application/json")
        .body("{}").post("/api/cameras/porch/arm").then().statusCode(403);
    given().cookie("mecam_session", session).header("X-CSRF-Token", csrfOf(session))
        .contentType("application/json").body("{}").post("/api/cameras/porch/arm").then().statusCode(200);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body("{}")
        .post("/api/cameras/porch/disarm").then().statusCode(200);
  }

  @Test
  void wrongPasswordsAreThrottledPerUserName() {
    String victim = "victim-" + System.nanoTime();
    Response page = given().get("/login");
    String cookie = page.cookie("mecam_form_csrf");
    Matcher m = CSRF_FIELD.matcher(page.asString());
    assertThat(m.find()).isTrue();
    for (int i = 0; i < config.loginMaxFailures(); i++) {
      given().cookie("mecam_form_csrf", cookie).formParam("username", victim).formParam("password", "wrong-password")
          .formParam("csrf", m.group(1)).post("/login").then().statusCode(401);
    }
    given().cookie("mecam_form_csrf", cookie).formParam("username", victim).formParam("password", "wrong-password")
        .formParam("csrf", m.group(1)).post("/login").then().statusCode(429)
        .body(containsString("Too many failed attempts"));
    throttle.reset();
  }

  /**
   * Issue 12 #5: without a configured trusted proxy, X-Forwarded-For is not believed, so a client cannot
   * dodge the per-address limit by naming a new address in each request.
   */
  @Test
  void aForwardedForHeaderFromAnUntrustedPeerDoesNotDodgeTheAddressLimit() {
    throttle.reset();
    Response page = given().get("/login");
    String cookie = page.cookie("mecam_form_csrf");
    Matcher m = CSRF_FIELD.matcher(page.asString());
    assertThat(m.find()).isTrue();
    int limit = config.loginMaxFailures() * 4;
    for (int i = 0; i < limit; i++) {
      given().cookie("mecam_form_csrf", cookie).header("X-Forwarded-For", "10.9.0." + i)
          .formParam("username", "dodger" + i).formParam("password", "wrong-password")
          .formParam("csrf", m.group(1)).post("/login").then().statusCode(401);
    }
    given().cookie("mecam_form_csrf", cookie).header("X-Forwarded-For", "10.9.1.1").formParam("username", "dodger-new")
        .formParam("password", "wrong-password").formParam("csrf", m.group(1)).post("/login").then().statusCode(429);
    throttle.reset();
  }

  @Test
  void logoutEndsTheSession() {
    String session = login(TestSetup.OWNER, TestSetup.PASSWORD);
    given().cookie("mecam_session", session).header("X-CSRF-Token", csrfOf(session)).post("/logout")
        .then().statusCode(204);
    given().cookie("mecam_session", session).get("/api/events").then().statusCode(401);
  }

  @Test
  void sessionsSurviveARestartBecauseTheyLiveInTheDatabase() {
    String session = login(TestSetup.OWNER, TestSetup.PASSWORD);
    Sessions reopened = new Sessions(db, clock, config);
    assertThat(reopened.find(session)).isNotNull();
    assertThat(reopened.find(session).username()).isEqualTo(TestSetup.OWNER);
    assertThat(reopened.find("not-a-session")).isNull();
  }

  @Test
  void apiTokensMadeInTheUiWorkAndCanBeRevoked() {
    var made = given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body("{\"name\":\"script\"}").post("/api/tokens").then().statusCode(200).extract().jsonPath();
    String token = made.getString("token");
    String id = made.getString("info.id");
    given().auth().oauth2(token).get("/api/cameras").then().statusCode(200);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/tokens/" + id).then().statusCode(200);
    given().auth().oauth2(token).get("/api/cameras").then().statusCode(401);
    given().auth().oauth2("mecam_forged").get("/api/cameras").then().statusCode(401);
  }

  @Test
  void passwordsAreStoredAsArgon2idHashes() {
    String hash = PasswordHasher.hash("correct horse battery".toCharArray());
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHasher.verify("correct horse battery".toCharArray(), hash)).isTrue();
    assertThat(PasswordHasher.verify("wrong".toCharArray(), hash)).isFalse();
    String stored = db.read(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT password_hash FROM app_user")) {
        rs.next();
        return rs.getString(1);
      }
    });
    assertThat(stored).startsWith("$argon2id$");
  }
}
