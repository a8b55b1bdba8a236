package org.mecam.agent.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.mqtt.MqttTransport;

/**
 * Drains the {@link Outbox} to the broker in order, one message at a time, with QoS 1; a message
 * leaves the outbox only after the broker confirmed it, so an outage or a crash delays messages but
 * never loses or reorders them.
 *
 * <p>When the connection drops while a message is in flight, the MQTT client keeps that message and
 * sends it again by itself after reconnecting (persistent session). Sending it once more from here
 * would deliver it twice, so such a message is marked <em>handed over</em>: it stays in the outbox but
 * is not re-sent; the next confirmed publish (the following message, or a re-announcement of the
 * retained {@code online} availability when there is none) proves the broker has it too, because the
 * client re-sends in-flight messages before anything new on the same connection.
 */
public final class OutboxPublisher implements Runnable {
  private static final Logger LOG = Logger.getLogger(OutboxPublisher.class.getName());
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private final Outbox outbox;
  private final MqttTransport transport;
  private final String probeTopic;
  private final Thread thread;
  private final List<Long> handedOver = new ArrayList<>();
  private volatile boolean running = true;
  private volatile long published;

  /** {@code availabilityTopic}: the agent's retained availability, re-announced as {@code online} to confirm. */
  public OutboxPublisher(Outbox outbox, MqttTransport transport, String availabilityTopic) {
    this.outbox = outbox;
    this.transport = transport;
    this.probeTopic = availabilityTopic;
    this.thread = new Thread(this, "outbox-publisher");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void run() {
    long backoffMs = 200;
    String lastProblem = "";
    while (running) {
      try {
        Outbox.Entry head = outbox.peek(500);
        if (head == null) {
          continue;
        }
        if (!transport.isConnected()) {
          // Publishing now would only park the message in the client's buffer; wait for the broker.
          Thread.sleep(100);
          continue;
        }
        Outbox.Entry next = handedOver.isEmpty() ? head : outbox.after(handedOver.get(handedOver.size() - 1));
        try {
          if (next != null) {
            transport.publishConfirmed(next.topic(), next.payload(), 1, next.retained(), CONFIRM_TIMEOUT);
          } else {
            transport.publishConfirmed(probeTopic, Topics.ONLINE.getBytes(StandardCharsets.UTF_8), 1, true,
                CONFIRM_TIMEOUT);
          }
        } catch (MqttDeliveryException ex) {
          if (next != null && handedToClient(ex)) {
            handedOver.add(next.seq());
          }
          throw ex;
        }
        for (long seq : handedOver) {
          outbox.remove(seq);
          published++;
        }
        handedOver.clear();
        if (next != null) {
          outbox.remove(next.seq());
          published++;
        }
        backoffMs = 200;
        lastProblem = "";
      } catch (MqttDeliveryException ex) {
        if (!ex.getMessage().equals(lastProblem)) {
          LOG.warning("outbox: " + ex.getMessage() + "; " + outbox.size() + " message(s) wait, retrying");
          lastProblem = ex.getMessage();
        }
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception ex) {
        LOG.warning("outbox: " + ex);
        sleep(1_000);
      }
    }
  }

  /**
   * Whether the failed publish left the message with the client (in flight or in its offline
   * buffer), which then delivers it after reconnecting: a timeout or a lost connection. Refusals
   * before hand-over (too many in flight, buffer full, client closing) mean it must be sent again.
   */
  static boolean handedToClient(MqttDeliveryException ex) {
    if (!(ex.getCause() instanceof MqttException m)) {
      return true;
    }
    int code = m.getReasonCode();
    return code == MqttException.REASON_CODE_CONNECTION_LOST || code == MqttException.REASON_CODE_CLIENT_TIMEOUT;
  }

  /** Messages confirmed by the broker since start. */
  public long published() {
    return published;
  }

  /** Waits up to {@code timeout} for the outbox to drain, then stops. */
  public void stop(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outbox.size() > 0 && transport.isConnected() && System.nanoTime() < deadline) {
      sleep(50);
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
