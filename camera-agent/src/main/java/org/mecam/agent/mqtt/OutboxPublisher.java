package org.mecam.agent.mqtt;

import java.time.Duration;
import java.util.logging.Logger;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.mqtt.MqttTransport;

/**
 * Drains the {@link Outbox} to the broker in order, one message at a time: QoS 1, and a message is
 * removed only after the broker's PUBACK, so a broker outage or an agent crash delays messages but
 * never loses or reorders them.
 */
public final class OutboxPublisher implements Runnable {
  private static final Logger LOG = Logger.getLogger(OutboxPublisher.class.getName());
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private final Outbox outbox;
  private final MqttTransport transport;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long published;

  public OutboxPublisher(Outbox outbox, MqttTransport transport) {
    this.outbox = outbox;
    this.transport = transport;
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
        Outbox.Entry e = outbox.peek(500);
        if (e == null) {
          continue;
        }
        if (!transport.isConnected()) {
          // Publishing now would only park the message in the client's buffer; wait for the broker.
          Thread.sleep(100);
          continue;
        }
        transport.publishConfirmed(e.topic(), e.payload(), 1, e.retained(), CONFIRM_TIMEOUT);
        outbox.remove(e.seq());
        published++;
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
