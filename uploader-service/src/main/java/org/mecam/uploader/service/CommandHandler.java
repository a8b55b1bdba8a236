package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mecam.events.Command;
import org.mecam.events.CommandReply;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * Executes commands from the web UI ({@code mecam/v1/uploader/commands}) and queues one
 * {@link CommandReply} per command; a command id already answered is not executed again.
 */
@ApplicationScoped
public class CommandHandler {
  private final UploaderStore store;
  private final RuntimeSettings settings;
  private final OutboxPublisher outbox;
  private final Clock clock;

  /** A command's outcome: ok, a message for the owner and flat data. */
  public record Result(boolean ok, String message, Map<String, Object> data) {
    static Result ok(String message, Map<String, Object> data) {
      return new Result(true, message, data);
    }

    static Result error(String message) {
      return new Result(false, message, Map.of());
    }
  }

  public CommandHandler(UploaderStore store, RuntimeSettings settings, OutboxPublisher outbox, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.outbox = outbox;
    this.clock = clock;
  }

  public void handle(Command command) throws SQLException {
    if (store.commandSeen(command.id())) {
      Log.debugf("command %s already answered", command.id());
      return;
    }
    Result r;
    try {
      r = execute(command.action(), command.args());
    } catch (IllegalArgumentException e) {
      r = Result.error(e.getMessage());
    }
    Log.infof("command %s (%s): %s", command.id(), command.action(), r.ok() ? "ok" : r.message());
    CommandReply reply = new CommandReply(Payload.SCHEMA, Ids.newId(), clock.instant(), command.id(),
        command.action(), r.ok(), clip(r.message()), r.data());
    store.commandDone(command.id(), clock.millis(),
        OutboxMessage.of(Topics.UPLOADER_REPLIES, PayloadCodec.encode(reply)));
    outbox.wake();
  }

  Result execute(String action, Map<String, Object> args) throws SQLException {
    return switch (action) {
      case "get_settings" -> Result.ok("settings", settings.asMap());
      case "set_settings" -> {
        settings.update(args);
        yield Result.ok("settings saved", settings.asMap());
      }
      default -> Result.error("unknown action '" + action + "'");
    };
  }

  private static String clip(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
