package org.mecam.notifier;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;

/**
 * The notifier's API (push endpoints, FCM tokens and webhook URLs in the records) answers only holders of
 * the service token (issue 12 #8); health stays open. The old code answered everyone.
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class ServiceApiGuardTest {

  @Test
  void anonymousAndWrongTokensGet401AndHealthStaysOpen() {
    given().get("/api/notifications").then().statusCode(401);
    given().get("/api/vapid-public-key").then().statusCode(401);
    given().get("/api/notifications;x").then().statusCode(401);
    given().get("//api/notifications").then().statusCode(401);
    given().header("Authorization", "Bearer wrong-token-0123456789").get("/api/notifications").then().statusCode(401);
    given().header("Authorization", "Bearer " + NotifierSkeletonTest.apiToken()).get("/api/notifications").then()
        .statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }
}
