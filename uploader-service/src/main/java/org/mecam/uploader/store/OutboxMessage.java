package org.mecam.uploader.store;

/** A message to publish, kept in the database until the broker confirmed it. */
public record OutboxMessage(long seq, String topic, byte[] payload, boolean retained) {
  public static OutboxMessage of(String topic, byte[] payload) {
    return new OutboxMessage(0, topic, payload, false);
  }
}
