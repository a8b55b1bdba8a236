package org.mecam.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateHandlerTest {

  @Test
  void messagesQueuedWhileDownWaitForAHandlerRegisteredAfterTheReconnect() throws Exception {
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).start();
         MqttTestClient publisher = MqttTestClient.connect(broker.url(), null, null)) {
      PahoTransport first = PahoTransport.start(MqttSettings.builder(broker.url(), "late").build());
      first.subscribe(Topics.ALL_CAMERA_EVENTS, 1, m -> { });
      assertThat(first.awaitConnected(Duration.ofSeconds(20))).isTrue();
      first.close();

      for (int i = 0; i < 5; i++) {
        Instant now = Instant.now();
        publisher.publish(Topics.cameraEvents("cam-a"), PayloadCodec.encode(new MotionEvent(1, "q-" + i, "cam-a",
            now, "e-" + i, MotionEvent.Phase.START, 0.1, List.of(), true, now, null)), 1, false);
      }

      // The session's queued messages arrive at connect, before this program registers its handler.
      PahoTransport second = PahoTransport.start(MqttSettings.builder(broker.url(), "late").build());
      assertThat(second.awaitConnected(Duration.ofSeconds(20))).isTrue();
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
      List<String> got = new CopyOnWriteArrayList<>();
      second.subscribe(Topics.ALL_CAMERA_EVENTS, 1, m -> got.add(
          PayloadCodec.decode(m.topic(), m.payload(), MotionEvent.class).id()));
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 5);
      assertThat(got).containsExactly("q-0", "q-1", "q-2", "q-3", "q-4");
      second.close();
    }
  }
}
