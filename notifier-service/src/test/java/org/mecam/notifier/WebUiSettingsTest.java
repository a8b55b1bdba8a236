package org.mecam.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mecam.notifier.service.SnapshotLinks;
import org.mecam.events.Ids;
import org.mecam.events.PayloadCodec;
import org.mecam.events.WebUiSettings;
import org.mecam.notifier.service.PublicUrlListener;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/**
 * Links point at the public URL the web UI publishes retained on {@code mecam/v1/webui/settings}
 * (contract 4); a malformed record is ignored, and clearing it falls back to the configured base URL.
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
class WebUiSettingsTest {
  @InjectBroker
  MqttBroker broker;

  @Inject
  SnapshotLinks links;

  @Inject
  PublicUrlListener settings;

  private static byte[] record(String url) {
    return PayloadCodec.encode(new WebUiSettings(1, Ids.newId(), java.time.Instant.now(), url));
  }

  @Test
  void linksFollowThePublishedPublicUrl() {
    String configured = "http://localhost:8080";
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(PublicUrlListener.TOPIC, record("https://cams.example.net"), 1, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> links.base().equals("https://cams.example.net"));
      assertThat(links.snapshotUrl("m-1", "ann")).startsWith("https://cams.example.net/media/m-1/snapshot?exp=")
          .contains("&u=ann&sig=");
      assertThat(links.eventUrl("e-1")).isEqualTo("https://cams.example.net/events/e-1");

      String valid = new String(record("https://x.example"), StandardCharsets.UTF_8);
      for (String bad : new String[] {valid.replace("https://x.example", "javascript:alert(1)"),
          valid.replace("\"schema\":1", "\"schema\":2"), "not json", "{\"schema\":1}",
          valid.replace("https://x.example", "https://u:p@x.example")}) {
        assertThat(settings.apply(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isNotNull();
        assertThat(links.base()).isEqualTo("https://cams.example.net");
      }
      client.publish(PublicUrlListener.TOPIC, record("https://second.example.net"), 1, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> links.base().equals("https://second.example.net"));

      client.publish(PublicUrlListener.TOPIC, new byte[0], 1, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> links.base().equals(configured));
    }
  }
}
