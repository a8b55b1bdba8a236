package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;

/**
 * Enumerates every route of the application (each JAX-RS resource method found by reflection over the
 * compiled classes, every operation in the OpenAPI document, and Quarkus's own /q routes) and checks
 * that without a session or token each one answers 401 or a redirect to the login page.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class RouteProtectionTest {
  /** Route templates that are public on purpose. */
  static final Set<String> PUBLIC = Set.of("GET /login", "POST /login", "GET /setup", "POST /setup",
      "POST /api/setup");

  record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Route> resourceRoutes() throws IOException, ClassNotFoundException {
    List<Route> routes = new ArrayList<>();
    java.nio.file.Path root = Paths.get("target", "classes");
    List<String> names;
    try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("org/mecam/webui"))) {
      names = files.map(p -> root.relativize(p).toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$"))
          .map(n -> n.substring(0, n.length() - 6).replace('/', '.')).toList();
    }
    for (String name : names) {
      Class<?> type = Class.forName(name);
      Path base = type.getAnnotation(Path.class);
      if (base == null) {
        continue;
      }
      for (Method m : type.getMethods()) {
        String verb = verb(m);
        if (verb == null) {
          continue;
        }
        Path sub = m.getAnnotation(Path.class);
        routes.add(new Route(verb, join(base.value(), sub == null ? "" : sub.value())));
      }
    }
    return routes;
  }

  private static String verb(Method m) {
    Map<Class<? extends Annotation>, String> verbs = Map.of(GET.class, "GET", POST.class, "POST",
        PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH", HEAD.class, "HEAD");
    for (var e : verbs.entrySet()) {
      if (m.isAnnotationPresent(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  static String join(String a, String b) {
    String p = ("/" + a + "/" + b).replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  @Test
  void everyRouteNeedsASessionOrTokenExceptTheAllowedOnes() throws Exception {
    List<Route> routes = resourceRoutes();
    assertThat(routes).as("reflection found the resources").hasSizeGreaterThan(40);

    // The OpenAPI document (read with a token) must list the same operations: nothing undocumented.
    Map<String, Map<String, Object>> paths = given().auth().oauth2(TestSetup.TOKEN).accept("application/json")
        .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath().getMap("paths");
    Set<String> documented = new TreeSet<>();
    paths.forEach((p, ops) -> ops.keySet().forEach(op -> documented.add(op.toUpperCase() + " " + p)));
    Set<String> reflected = new TreeSet<>();
    routes.forEach(r -> reflected.add(r.toString()));
    assertThat(documented).containsAll(reflected);

    List<String> leaks = new ArrayList<>();
    Set<String> all = new TreeSet<>(documented);
    all.addAll(reflected);
    all.addAll(List.of("GET /q/metrics", "GET /q/openapi", "GET /q/swagger-ui", "GET /q/dev-ui",
        "GET /media/x/snapshot", "GET /media/x/snapshot?exp=99999999999&sig=forged", "GET /nonexistent"));
    for (String route : all) {
      if (PUBLIC.contains(route)) {
        continue;
      }
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
      for (String accept : List.of("text/html", "application/json")) {
        Response r = given().redirects().follow(false).accept(accept).contentType("application/json").body("{}")
            .request(method, path);
        boolean refused = r.statusCode() == 401
            || (r.statusCode() == 302 && r.header("Location") != null && r.header("Location").startsWith("/login"));
        if (!refused) {
          leaks.add(route + " (Accept " + accept + ") answered " + r.statusCode());
        }
      }
    }
    assertThat(leaks).as("routes reachable without credentials").isEmpty();
  }

  @Test
  void publicRoutesAnswerWithoutCredentials() {
    for (String path : List.of("/login", "/q/health", "/q/health/ready", "/q/health/live", "/sw.js",
        "/manifest.webmanifest", "/offline.html", "/static/app.css", "/static/app.js", "/favicon.svg",
        "/icons/icon-192.png")) {
      given().redirects().follow(false).get(path).then().statusCode(200);
    }
    // The owner exists (bootstrap), so setup is closed and sends people to the login page.
    given().redirects().follow(false).get("/setup").then().statusCode(303);
  }
}
