package org.mecam.uploader;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;

/**
 * The uploader's queue and statistics answer only holders of the service token (issue 12 #8); health
 * stays open. The old code answered anyone who reached the port.
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = UploaderTestResource.class, restrictToAnnotatedClass = true)
class ServiceApiGuardTest {

  @Test
  void queueAndStatsNeedTheServiceToken() {
    for (String path : new String[] {"/api/queue", "/api/stats", "/api/queue;x", "//api/stats", "/api/STATS"}) {
      given().get(path).then().statusCode(401);
      given().header("Authorization", "Bearer " + UploaderTestResource.API_TOKEN + "x").get(path).then()
          .statusCode(401);
    }
    UploaderTestResource.api().get("/api/queue").then().statusCode(200);
    UploaderTestResource.api().get("/api/stats").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }
}
