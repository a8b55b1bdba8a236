package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A message a service could not accept, with the reason and (a prefix of) the original payload;
 * published on {@code dead-letter/{service}} instead of crashing or dropping it silently.
 */
public record DeadLetter(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String service,
    @JsonProperty(required = true) String topic,
    @JsonProperty(required = true) String reason,
    @JsonProperty(required = true) int payloadBytes,
    @JsonProperty(required = true) String payloadPrefix) implements Payload {

  /** How much of the original payload a dead letter keeps, in characters. */
  public static final int PREFIX_CHARS = 2048;

  @Override
  public void validate(Checks c) {
    c.id("id", id).text("service", service, 40).text("topic", topic, 512).text("reason", reason, 2000);
  }
}
