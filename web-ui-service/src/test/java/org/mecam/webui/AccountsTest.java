package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.webui.security.LoginThrottle;

/**
 * Issue 14 #6: users change their own password (the current one required), owners reset another's,
 * users list and end their own sessions, and the optional TOTP second factor works with codes from an
 * independent implementation ({@code oathtool}, Debian package {@code oathtool}): wrong and reused codes
 * are refused, a recovery code works once.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class AccountsTest {
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @Inject
  LoginThrottle throttle;

  @BeforeEach
  void clean() {
    throttle.reset();
  }

  static Response login(String user, String password, String code) {
    Response page = given().get("/login");
    Matcher m = CSRF_FIELD.matcher(page.asString());
    assertThat(m.find()).isTrue();
    var request = given().redirects().follow(false).cookie("mecam_form_csrf", page.cookie("mecam_form_csrf"))
        .formParam("username", user).formParam("password", password).formParam("csrf", m.group(1))
        .formParam("next", "/");
    if (code != null) {
      request = request.formParam("code", code);
    }
    return request.post("/login");
  }

  private static void addUser(String name, String password, String role) {
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("username", name, "password", password, "role", role)).post("/api/users").then().statusCode(200);
  }

  private static io.restassured.specification.RequestSpecification with(String session) {
    return given().cookie("mecam_session", session).header("X-CSRF-Token", AuthFlowTest.csrfOf(session))
        .contentType("application/json");
  }

  @Test
  void usersChangeTheirOwnPasswordWithTheCurrentOneAndOwnersResetOthers() {
    addUser("tess", "first password 1", "viewer");
    String a = AuthFlowTest.login("tess", "first password 1");
    String b = AuthFlowTest.login("tess", "first password 1");
    with(a).body(Map.of("current", "not my password", "password", "second password 2"))
        .post("/api/account/password").then().statusCode(400).body("error", containsString("current password"));
    with(a).body(Map.of("current", "first password 1", "password", "short"))
        .post("/api/account/password").then().statusCode(400).body("error", containsString("at least 10"));
    with(a).body(Map.of("current", "first password 1", "password", "second password 2"))
        .post("/api/account/password").then().statusCode(200);
    // This session stays, the other one ended; the old password no longer works, the new one does.
    given().cookie("mecam_session", a).get("/api/session").then().statusCode(200);
    given().cookie("mecam_session", b).get("/api/session").then().statusCode(401);
    assertThat(login("tess", "first password 1", null).statusCode()).isEqualTo(401);
    assertThat(login("tess", "second password 2", null).statusCode()).isEqualTo(303);

    // A viewer cannot reset anyone's password; an owner can, and the user's sessions end.
    with(a).body(Map.of("password", "viewer's choice 3")).post("/api/users/" + TestSetup.OWNER + "/password")
        .then().statusCode(403);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body(Map.of("password", "reset by owner 4"))
        .post("/api/users/tess/password").then().statusCode(200);
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json").body(Map.of("password", "reset by owner 4"))
        .post("/api/users/nobody/password").then().statusCode(404);
    given().cookie("mecam_session", a).get("/api/session").then().statusCode(401);
    assertThat(login("tess", "second password 2", null).statusCode()).isEqualTo(401);
    assertThat(login("tess", "reset by owner 4", null).statusCode()).isEqualTo(303);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/tess").then().statusCode(200);
  }

  @Test
  void usersListAndEndTheirOwnSessionsOnly() {
    addUser("sid", "sid password 12", "viewer");
    String a = AuthFlowTest.login("sid", "sid password 12");
    String b = AuthFlowTest.login("sid", "sid password 12");
    String owner = AuthFlowTest.login(TestSetup.OWNER, TestSetup.PASSWORD);
    List<Map<String, Object>> mine = with(a).get("/api/account/sessions").then().statusCode(200).extract()
        .jsonPath().getList("$");
    assertThat(mine).hasSize(2);
    assertThat(mine).filteredOn(s -> Boolean.TRUE.equals(s.get("current"))).hasSize(1);
    assertThat(mine).allSatisfy(s -> assertThat(s.get("address")).isNotNull());
    String other = (String) mine.stream().filter(s -> !Boolean.TRUE.equals(s.get("current"))).findFirst()
        .orElseThrow().get("id");
    // Someone else's session id is not theirs to end.
    String ownersId = (String) with(owner).get("/api/account/sessions").jsonPath()
        .getList("$", Map.class).stream().filter(s -> Boolean.TRUE.equals(s.get("current"))).findFirst()
        .orElseThrow().get("id");
    with(a).delete("/api/account/sessions/" + ownersId).then().statusCode(404);
    given().cookie("mecam_session", owner).get("/api/session").then().statusCode(200);

    with(a).delete("/api/account/sessions/" + other).then().statusCode(200);
    given().cookie("mecam_session", b).get("/api/session").then().statusCode(401);
    given().cookie("mecam_session", a).get("/api/session").then().statusCode(200);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/sid").then().statusCode(200);
  }

  @Test
  void totpWithCodesFromOathtoolWrongAndReusedCodesRefusedRecoveryCodeOnce() throws Exception {
    addUser("otto", "otto password 12", "viewer");
    String s = AuthFlowTest.login("otto", "otto password 12");
    with(s).body(Map.of("password", "wrong password")).post("/api/account/totp/setup").then().statusCode(400);
    Map<String, String> enrol = with(s).body(Map.of("password", "otto password 12")).post("/api/account/totp/setup")
        .then().statusCode(200).extract().jsonPath().getMap("$");
    String secret = enrol.get("secret");
    assertThat(enrol.get("uri")).startsWith("otpauth://totp/mecam%3Aotto?secret=" + secret);
    // Not on until confirmed with a code; a wrong code does not turn it on.
    assertThat(login("otto", "otto password 12", null).statusCode()).isEqualTo(303);
    with(s).body(Map.of("code", oathtool(secret, "now - 10 minutes"))).post("/api/account/totp/enable")
        .then().statusCode(400);
    List<String> recovery = with(s).body(Map.of("code", oathtool(secret, "now"))).post("/api/account/totp/enable")
        .then().statusCode(200).extract().jsonPath().getList("recoveryCodes");
    assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
    with(s).get("/api/account").then().statusCode(200).body("secondFactor", org.hamcrest.Matchers.equalTo(true));

    // The password alone, or with a wrong code, no longer logs in.
    Response noCode = login("otto", "otto password 12", null);
    assertThat(noCode.statusCode()).isEqualTo(401);
    assertThat(noCode.asString()).contains("authenticator app");
    assertThat(login("otto", "otto password 12", oathtool(secret, "now - 10 minutes")).statusCode()).isEqualTo(401);
    throttle.reset();
    // The next step's code (the enrolment used the current one) logs in once; the same code again is refused.
    String code = oathtool(secret, "now + 30 seconds");
    assertThat(login("otto", "otto password 12", code).statusCode()).isEqualTo(303);
    assertThat(login("otto", "otto password 12", code).statusCode()).isEqualTo(401);
    // A code right with the wrong password does not help.
    assertThat(login("otto", "wrong password!", oathtool(secret, "now + 30 seconds")).statusCode()).isEqualTo(401);
    throttle.reset();

    // A recovery code works once, written as shown or without dashes.
    assertThat(login("otto", "otto password 12", recovery.get(0)).statusCode()).isEqualTo(303);
    assertThat(login("otto", "otto password 12", recovery.get(0)).statusCode()).isEqualTo(401);
    assertThat(login("otto", "otto password 12", recovery.get(1).replace("-", "").toUpperCase()).statusCode())
        .isEqualTo(303);
    with(s).get("/api/account").then().body("recoveryCodesLeft", org.hamcrest.Matchers.equalTo(8));

    // An owner can turn it off for a user who lost their phone, with the reset.
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("password", "otto password 34", "turnOffSecondFactor", true))
        .post("/api/users/otto/password").then().statusCode(200).body("secondFactorTurnedOff", org.hamcrest.Matchers.equalTo(true));
    assertThat(login("otto", "otto password 34", null).statusCode()).isEqualTo(303);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/otto").then().statusCode(200);
  }

  /** A TOTP code from oathtool (RFC 6238, SHA-1, 6 digits, 30 s), an implementation independent of ours. */
  static String oathtool(String base32Secret, String when) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("oathtool", "--totp", "-b", "-N", when, base32Secret).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("this test needs oathtool (Debian package oathtool: apt-get install oathtool)", e);
    }
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).matches("[0-9]{6}");
    return out;
  }
}
