package org.mecam.mqtt;

import java.time.Duration;

/**
 * The broker as the rest of the code sees it: publish and subscribe, nothing else, so business
 * logic can be tested without a broker.
 */
public interface MqttTransport extends AutoCloseable {

  /** Publishes without waiting; while disconnected the message waits in the client's buffer. */
  void publish(String topic, byte[] payload, int qos, boolean retained);

  /** Publishes and waits until the broker acknowledged it (QoS 1) or the timeout passed. */
  void publishConfirmed(String topic, byte[] payload, int qos, boolean retained, Duration timeout)
      throws MqttDeliveryException;

  /**
   * Routes messages whose topic matches {@code filter} to {@code handler}. The message is
   * acknowledged to the broker only after the handler returns normally; if the handler throws, the
   * message is not acknowledged and the broker delivers it again after the next reconnect.
   */
  void subscribe(String filter, int qos, MessageHandler handler);

  boolean isConnected();

  @Override
  void close();
}
