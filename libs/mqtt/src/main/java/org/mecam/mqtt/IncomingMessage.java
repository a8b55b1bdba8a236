package org.mecam.mqtt;

/** A message as received from the broker. {@code duplicate} is the broker's redelivery flag. */
public record IncomingMessage(String topic, byte[] payload, int qos, boolean retained, boolean duplicate) {}
