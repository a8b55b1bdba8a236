package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** A request from the web UI to a service ({@code uploader/commands}, {@code notifier/commands}). */
public record Command(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String action,
    Map<String, Object> args) implements Payload {

  public Command {
    args = args == null ? Map.of() : Map.copyOf(args);
  }

  @Override
  public void validate(Checks c) {
    c.id("id", id);
    c.check(action != null && action.matches("[a-z][a-z0-9_.-]{0,39}"), "field 'action' must match [a-z][a-z0-9_.-]{0,39}");
  }
}
