package org.mecam.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mecam.events.DeadLetter;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadLetterTest {
  private MqttBroker broker;
  private PahoTransport transport;
  private MqttTestClient client;
  private final List<MotionEvent> handled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = MqttBroker.builder().allowAnonymous(true).start();
    transport = PahoTransport.start(MqttSettings.builder(broker.url(), "dl-probe")
        .availabilityTopic(Topics.serviceAvailability("probe")).build());
    new ValidatingSubscriber(transport, "probe", Clock.systemUTC(), 2)
        .subscribe(Topics.ALL_CAMERA_EVENTS, MotionEvent.class, (topic, e) -> {
          if (e.eventId().equals("evt-poison")) {
            throw new IllegalStateException("cannot store this one");
          }
          handled.add(e);
        });
    assertThat(transport.awaitConnected(Duration.ofSeconds(20))).isTrue();
    client = MqttTestClient.connect(broker.url(), null, null);
  }

  @AfterEach
  void stop() {
    client.close();
    transport.close();
    broker.close();
  }

  @Test
  void malformedMessagesGoToTheDeadLetterTopicWithAReasonAndTheConsumerKeepsGoing() throws Exception {
    BlockingQueue<MqttTestClient.Received> letters = client.subscribe("mecam/v1/dead-letter/probe");
    String topic = Topics.cameraEvents("cam-a");
    client.publish(topic, "not json", 1, false);
    client.publish(topic, "{\"schema\":9}", 1, false);
    client.publish(topic, new String(new char[1024 * 1024]).replace('\0', 'x'), 1, false);
    client.publish(topic, new String(PayloadCodec.encode(event("ok-1", "evt-1", "cam-b"))), 1, false);
    client.publish(topic, new String(PayloadCodec.encode(event("ok-2", "evt-poison", "cam-a"))), 1, false);
    client.publish(topic, new String(PayloadCodec.encode(event("ok-3", "evt-3", "cam-a"))), 1, false);

    await().atMost(Duration.ofSeconds(20)).until(() -> letters.size() >= 5 && handled.size() == 1);
    List<String> reasons = letters.stream()
        .map(r -> decode(r.payload()).reason())
        .toList();
    assertThat(reasons).anyMatch(r -> r.startsWith("payload is not JSON"))
        .anyMatch(r -> r.startsWith("unsupported schema version 9"))
        .anyMatch(r -> r.startsWith("payload too large: 1048576 bytes"))
        .anyMatch(r -> r.contains("does not match topic camera 'cam-a'"))
        .anyMatch(r -> r.startsWith("processing failed 2 times: IllegalStateException: cannot store this one"));
    assertThat(letters).allSatisfy(r -> assertThat(decode(r.payload()).topic()).isEqualTo(topic));
    assertThat(handled).extracting(MotionEvent::id).containsExactly("ok-3");
    assertThat(transport.isConnected()).isTrue();
  }

  private static DeadLetter decode(String json) {
    try {
      return PayloadCodec.decode("mecam/v1/dead-letter/probe", json.getBytes(), DeadLetter.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static MotionEvent event(String id, String eventId, String camera) {
    Instant now = Instant.now();
    return new MotionEvent(1, id, camera, now, eventId, MotionEvent.Phase.START, 0.2, List.of(), true, now,
        null);
  }
}
