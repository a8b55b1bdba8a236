package org.mecam.mqtt;

/** A publish that the broker did not confirm in time; the reason is readable, not a stack trace. */
public final class MqttDeliveryException extends Exception {
  public MqttDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
