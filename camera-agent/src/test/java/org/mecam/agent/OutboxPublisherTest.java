package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.mqtt.Outbox;
import org.mecam.agent.mqtt.OutboxPublisher;
import org.mecam.mqtt.MessageHandler;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.mqtt.MqttTransport;

/** The outbox publisher's bookkeeping around failed publishes (the transport is a scripted stand-in). */
class OutboxPublisherTest {
  @TempDir
  Path dir;

  /** Records publishes; fails the ones the test scripts with the given Paho reason code. */
  static final class ScriptedTransport implements MqttTransport {
    final List<String> published = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> failures = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retained) {
      published.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void publishConfirmed(String topic, byte[] payload, int qos, boolean retained, Duration timeout)
        throws MqttDeliveryException {
      published.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
      if (!failures.isEmpty()) {
        int code = failures.remove(0);
        throw new MqttDeliveryException("scripted failure " + code, code == 0 ? null : new MqttException(code));
      }
    }

    @Override
    public void subscribe(String filter, int qos, MessageHandler handler) {}

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void messageLostInFlightIsNotSentAgainButConfirmedByTheNextPublish() throws Exception {
    Outbox outbox = new Outbox(dir);
    ScriptedTransport t = new ScriptedTransport();
    t.failures.add((int) MqttException.REASON_CODE_CONNECTION_LOST);
    outbox.append("a", "1".getBytes(), false);
    outbox.append("a", "2".getBytes(), false);
    OutboxPublisher p = new OutboxPublisher(outbox, t, "avail");
    p.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> outbox.size() == 0);
    p.stop(Duration.ZERO);
    // "1" went to the client once (it re-sends it itself); "2" confirmed both.
    assertThat(t.published).containsExactly("a 1", "a 2");
  }

  @Test
  void lastMessageLostInFlightIsConfirmedByReannouncingAvailability() throws Exception {
    Outbox outbox = new Outbox(dir);
    ScriptedTransport t = new ScriptedTransport();
    t.failures.add(0); // timed out waiting for the PUBACK
    outbox.append("a", "1".getBytes(), false);
    OutboxPublisher p = new OutboxPublisher(outbox, t, "avail");
    p.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> outbox.size() == 0);
    p.stop(Duration.ZERO);
    assertThat(t.published).containsExactly("a 1", "avail online");
  }

  @Test
  void publishRefusedBeforeHandOverIsSentAgain() throws Exception {
    Outbox outbox = new Outbox(dir);
    ScriptedTransport t = new ScriptedTransport();
    t.failures.add((int) MqttException.REASON_CODE_MAX_INFLIGHT);
    outbox.append("a", "1".getBytes(), false);
    OutboxPublisher p = new OutboxPublisher(outbox, t, "avail");
    p.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> outbox.size() == 0);
    p.stop(Duration.ZERO);
    assertThat(t.published).containsExactly("a 1", "a 1");
  }
}
