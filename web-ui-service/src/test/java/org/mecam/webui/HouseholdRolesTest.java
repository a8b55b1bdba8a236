package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;

/**
 * More than one account: owners add and remove household users as owners or viewers; viewers can
 * look, play and arm but every other state change (settings, disarming, tests, accounts) is refused —
 * checked over every route the application has, so a new route is owner-only until allowed.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class HouseholdRolesTest {
  private static final String VIEWER_PASSWORD = "viewer password 123";
  /** State changes a viewer may make, as route templates (the rest must answer 403). */
  static final Set<String> VIEWER_CHANGES = Set.of("POST /logout", "POST /api/cameras/{camera}/arm",
      "POST /api/cameras/arm-all", "POST /api/archive/unlock", "POST /api/archive/lock",
      "POST /api/notifications/webpush/subscribe", "POST /api/notifications/webpush/unsubscribe",
      "POST /api/notifications/fcm/register", "POST /api/notifications/fcm/unregister",
      // Each user's own account (issue 14 #6).
      "POST /api/account/password", "DELETE /api/account/sessions/{id}", "POST /api/account/totp/setup",
      "POST /api/account/totp/enable", "POST /api/account/totp/disable");
  /** Reads only owners may make. */
  static final Set<String> OWNER_READS = Set.of("GET /api/users", "GET /api/tokens",
      "GET /api/cloud/oauth/authorize", "GET /api/cameras/{camera}/agent-config", "GET /cameras/manage",
      "GET /welcome");
  /** Public, or answered by the public login/setup flow whatever the role. */
  static final Set<String> SKIP = Set.of("GET /login", "POST /login", "GET /setup", "POST /setup",
      "POST /api/setup",
      "GET /api/live");

  @Test
  void ownersAddAndRemoveUsersAndTheLastOwnerCannotBeRemoved() {
    addUser("sam", "viewer").then().statusCode(200).body("role", org.hamcrest.Matchers.equalTo("viewer"));
    addUser("sam", "viewer").then().statusCode(400).body("error", containsString("exists already"));
    addUser("pat", "admin").then().statusCode(400).body("error", containsString("role"));
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("username", "pat", "password", "short", "role", "viewer")).post("/api/users")
        .then().statusCode(400).body("error", containsString("at least 10"));
    given().auth().oauth2(TestSetup.TOKEN).get("/api/users").then().statusCode(200)
        .body("username", hasItems(TestSetup.OWNER, "sam"));
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/" + TestSetup.OWNER).then().statusCode(400)
        .body("error", containsString("last owner"));

    String session = AuthFlowTest.login("sam", VIEWER_PASSWORD);
    given().cookie("mecam_session", session).get("/api/session").then().statusCode(200)
        .body("role", org.hamcrest.Matchers.equalTo("viewer"));
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/sam").then().statusCode(200);
    // Their session ends with the account.
    given().cookie("mecam_session", session).get("/api/session").then().statusCode(401);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/sam").then().statusCode(404);

    // A second owner can do what the first can, and then the first is no longer the last one.
    addUser("alex", "owner").then().statusCode(200);
    String alex = AuthFlowTest.login("alex", VIEWER_PASSWORD);
    given().cookie("mecam_session", alex).header("X-CSRF-Token", AuthFlowTest.csrfOf(alex))
        .get("/api/users").then().statusCode(200);
    given().cookie("mecam_session", alex).header("X-CSRF-Token", AuthFlowTest.csrfOf(alex))
        .delete("/api/users/alex").then().statusCode(200);
  }

  @Test
  void viewersCanWatchAndArmButEveryOtherChangeOnEveryRouteIsRefused() throws Exception {
    addUser("vera", "viewer").then().statusCode(200);
    String session = AuthFlowTest.login("vera", VIEWER_PASSWORD);
    String csrf = AuthFlowTest.csrfOf(session);

    Set<String> routes = new TreeSet<>();
    RouteProtectionTest.resourceRoutes().forEach(r -> routes.add(r.toString()));
    assertThat(routes).contains("POST /api/cameras/{camera}/disarm", "POST /api/cloud/settings",
        "POST /api/users", "DELETE /api/users/{username}");
    List<String> wrong = new ArrayList<>();
    for (String route : routes) {
      if (SKIP.contains(route) || route.equals("POST /logout")) {
        continue;
      }
      String method = route.substring(0, route.indexOf(' '));
      String template = route.substring(route.indexOf(' ') + 1);
      String path = template.replace("{camera}", "porch").replaceAll("\\{[^}]+}", "x");
      boolean safe = method.equals("GET") || method.equals("HEAD");
      boolean mayViewer = safe ? !OWNER_READS.contains(route) : VIEWER_CHANGES.contains(route);
      Response r = given().redirects().follow(false).cookie("mecam_session", session)
          .header("X-CSRF-Token", csrf).accept("application/json, */*;q=0.5").contentType("application/json").body("{}")
          .request(method, path);
      if (mayViewer == (r.statusCode() == 403)) {
        wrong.add(route + " answered a viewer " + r.statusCode() + (mayViewer ? " (should be allowed)" : " (should be 403)"));
      }
    }
    assertThat(wrong).isEmpty();

    given().cookie("mecam_session", session).header("X-CSRF-Token", csrf).post("/api/cameras/porch/disarm")
        .then().statusCode(403).body("error", containsString("viewers cannot"));
    given().cookie("mecam_session", session).get("/events").then().statusCode(200);
    given().cookie("mecam_session", session).get("/account").then().statusCode(200)
        .body(containsString("viewer")).body(org.hamcrest.Matchers.not(containsString("id=\"household\"")));
    given().cookie("mecam_session", session).header("X-CSRF-Token", csrf).post("/logout").then().statusCode(204);
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/vera").then().statusCode(200);
  }

  private static Response addUser(String name, String role) {
    return given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("username", name, "password", VIEWER_PASSWORD, "role", role)).post("/api/users");
  }
}
