package org.mecam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void buildsVersionedTopicsForValidCamerasOnly() {
    assertThat(Topics.cameraEvents("front-door")).isEqualTo("mecam/v1/cameras/front-door/events");
    assertThat(Topics.mediaStored("front-door")).isEqualTo("mecam/v1/uploader/stored/front-door");
    assertThatThrownBy(() -> Topics.cameraEvents("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Topics.cameraMedia("+")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsTheCameraInATopic() {
    assertThat(Topics.cameraOf("mecam/v1/cameras/garage/media")).isEqualTo("garage");
    assertThat(Topics.cameraOf("mecam/v1/uploader/stored/garage")).isEqualTo("garage");
    assertThat(Topics.cameraOf("mecam/v1/alerts")).isNull();
  }

  @Test
  void matchesFiltersLikeTheBroker() {
    assertThat(Topics.matches("mecam/v1/cameras/+/events", "mecam/v1/cameras/a/events")).isTrue();
    assertThat(Topics.matches("mecam/v1/cameras/+/events", "mecam/v1/cameras/a/media")).isFalse();
    assertThat(Topics.matches("mecam/v1/cameras/+/set/#", "mecam/v1/cameras/a/set/armed")).isTrue();
    assertThat(Topics.matches("mecam/v1/#", "mecam/v1/alerts")).isTrue();
    assertThat(Topics.matches("mecam/v1/alerts", "mecam/v1/alerts/x")).isFalse();
  }
}
