package org.mecam.webui.rest;

import java.util.Map;
import org.mecam.events.CommandReply;

/** What the uploader or notifier answered to a command, as the API returns it. */
public record CommandResult(boolean ok, String message, Map<String, Object> data) {
  static CommandResult of(CommandReply reply) {
    if (!reply.ok()) {
      throw new BadInput(reply.message() == null ? "the service refused '" + reply.action() + "'" : reply.message());
    }
    return new CommandResult(true, reply.message(), reply.data());
  }
}
