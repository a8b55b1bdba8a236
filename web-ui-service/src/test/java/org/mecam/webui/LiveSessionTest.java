package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;

/** The live stream (server-sent events) of a session ends when the session ends: logout or expiry. */
@QuarkusTest
@TestProfile(LiveSessionTest.ShortSessions.class)
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class LiveSessionTest {
  /** Sessions lapse after 6 s without use, so expiry can be watched in a test. */
  public static class ShortSessions implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mecam.webui.session-idle-timeout", "6s");
    }
  }

  /** An open stream: the lines received so far, and whether the server has ended it. */
  record OpenStream(BlockingQueue<String> lines, CompletableFuture<Void> finished) {
    boolean saw(String text) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }
  }

  @TestHTTPResource("/api/live")
  URI live;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theLiveStreamEndsAtOnceOnLogout() throws Exception {
    String session = AuthFlowTest.login(TestSetup.OWNER, TestSetup.PASSWORD);
    String csrf = AuthFlowTest.csrfOf(session);
    OpenStream stream = open(session);
    await().atMost(Duration.ofSeconds(5)).until(() -> stream.saw("\"hello\""));

    given().cookie("mecam_session", session).header("X-CSRF-Token", csrf).post("/logout").then().statusCode(204);

    await().atMost(Duration.ofSeconds(3)).until(() -> stream.finished().isDone());
    assertThat(stream.saw("\"session-ended\"")).isTrue();
  }

  @Test
  void theLiveStreamEndsWhenTheSessionExpiresUnused() throws Exception {
    String session = AuthFlowTest.login(TestSetup.OWNER, TestSetup.PASSWORD);
    OpenStream stream = open(session);
    await().atMost(Duration.ofSeconds(5)).until(() -> stream.saw("\"hello\""));
    // A stream held open by the token (no session) is not affected.
    OpenStream byToken = openWithToken();
    await().atMost(Duration.ofSeconds(5)).until(() -> byToken.saw("\"hello\""));

    // 6 s idle timeout plus the 5 s sweep, with room for a busy machine.
    await().atMost(Duration.ofSeconds(20)).until(() -> stream.finished().isDone());
    assertThat(stream.saw("\"session-ended\"")).isTrue();
    given().cookie("mecam_session", session).get("/api/session").then().statusCode(401);
    assertThat(byToken.finished()).isNotDone();
    byToken.finished().cancel(true);
  }

  /**
   * Issue 12 #4: revoking an API token ends the live streams opened with it within seconds, and so does
   * removing the user who owns a token or session. Failed on the old code: token streams never ended.
   */
  @Test
  void theLiveStreamEndsWithinSecondsWhenItsTokenIsRevokedOrItsUserRemoved() throws Exception {
    String token = given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("name", "doomed")).post("/api/tokens").then().statusCode(200).extract().path("token");
    String tokenId = given().auth().oauth2(token).get("/api/tokens").then().statusCode(200).extract()
        .jsonPath().getString("find { it.name == 'doomed' }.id");
    OpenStream stream = openWithToken(token);
    OpenStream other = openWithToken(TestSetup.TOKEN);
    await().atMost(Duration.ofSeconds(5)).until(() -> stream.saw("\"hello\"") && other.saw("\"hello\""));
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/tokens/" + tokenId).then().statusCode(200);
    await().atMost(Duration.ofSeconds(3)).until(() -> stream.finished().isDone());
    assertThat(stream.saw("\"session-ended\"")).isTrue();
    assertThat(other.finished()).isNotDone();

    // A removed user's streams end too, the token's and the session's.
    given().auth().oauth2(TestSetup.TOKEN).contentType("application/json")
        .body(Map.of("username", "leaver", "password", "leaver password 1", "role", "owner"))
        .post("/api/users").then().statusCode(200);
    String session = AuthFlowTest.login("leaver", "leaver password 1");
    String csrf = AuthFlowTest.csrfOf(session);
    String theirs = given().cookie("mecam_session", session).header("X-CSRF-Token", csrf)
        .contentType("application/json").body(Map.of("name", "leavers")).post("/api/tokens")
        .then().extract().path("token");
    OpenStream bySession = open(session);
    OpenStream byTheirToken = openWithToken(theirs);
    await().atMost(Duration.ofSeconds(5)).until(() -> bySession.saw("\"hello\"") && byTheirToken.saw("\"hello\""));
    given().auth().oauth2(TestSetup.TOKEN).delete("/api/users/leaver").then().statusCode(200);
    await().atMost(Duration.ofSeconds(3)).until(() -> bySession.finished().isDone()
        && byTheirToken.finished().isDone());
    assertThat(other.finished()).isNotDone();
    other.finished().cancel(true);
  }

  private OpenStream openWithToken(String token) {
    return send(HttpRequest.newBuilder(live).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + token).GET().build());
  }

  private OpenStream open(String session) {
    return send(HttpRequest.newBuilder(live).header("Accept", "text/event-stream")
        .header("Cookie", "mecam_session=" + session).GET().build());
  }

  private OpenStream openWithToken() {
    return send(HttpRequest.newBuilder(live).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + TestSetup.TOKEN).GET().build());
  }

  private OpenStream send(HttpRequest request) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CompletableFuture<Void> finished = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAcceptAsync(r -> {
          assertThat(r.statusCode()).isEqualTo(200);
          try (java.util.stream.Stream<String> body = r.body()) {
            body.forEach(lines::add);
          }
        });
    return new OpenStream(lines, finished);
  }
}
