package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** A service's answer to one {@link Command}, matched by {@code commandId}. */
public record CommandReply(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String commandId,
    @JsonProperty(required = true) String action,
    @JsonProperty(required = true) boolean ok,
    String message,
    Map<String, Object> data) implements Payload {

  public CommandReply {
    data = data == null ? Map.of() : data;
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id).id("commandId", commandId).optionalText("message", message, 1000);
  }
}
