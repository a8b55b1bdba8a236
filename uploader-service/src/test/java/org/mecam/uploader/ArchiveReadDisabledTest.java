package org.mecam.uploader;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;

/** Without {@code mecam.uploader.archive-token-file} the archive read endpoint does not exist. */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = ArchiveReadDisabledTest.NoArchiveToken.class, restrictToAnnotatedClass = true)
class ArchiveReadDisabledTest {
  /** The usual set-up minus the archive token file. */
  public static class NoArchiveToken extends UploaderTestResource {
    @Override
    protected boolean archiveEndpoint() {
      return false;
    }
  }

  @Test
  void answers404WhateverTheTokenWhenNoTokenFileIsConfigured() {
    String id = "0b6f3c1e-0000-4000-8000-000000000000";
    assertThat(given().get("/internal/archive/{id}", id).statusCode()).isEqualTo(404);
    assertThat(given().header("Authorization", "Bearer " + UploaderTestResource.ARCHIVE_TOKEN)
        .get("/internal/archive/{id}", id).statusCode()).isEqualTo(404);
    assertThat(given().head("/internal/archive/{id}", id).statusCode()).isEqualTo(404);
  }
}
