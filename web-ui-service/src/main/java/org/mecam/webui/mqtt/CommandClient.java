package org.mecam.webui.mqtt;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mecam.events.Command;
import org.mecam.events.CommandReply;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.webui.config.WebUiConfig;

/**
 * Asks the uploader or the notifier to do something over the broker: publishes a {@link Command}
 * and waits for the {@link CommandReply} carrying its id, or gives up after the configured timeout.
 */
@ApplicationScoped
public class CommandClient {

  /** The service a command goes to. */
  public enum Target {
    UPLOADER(Topics.UPLOADER_COMMANDS, Topics.UPLOADER_REPLIES),
    NOTIFIER(Topics.NOTIFIER_COMMANDS, Topics.NOTIFIER_REPLIES);

    final String commands;
    final String replies;

    Target(String commands, String replies) {
      this.commands = commands;
      this.replies = replies;
    }

    public String serviceName() {
      return name().toLowerCase();
    }
  }

  /** The target did not answer in time (the API answers 504). */
  public static final class NoReplyException extends RuntimeException {
    public NoReplyException(String message) {
      super(message);
    }
  }

  private final BrokerConnection broker;
  private final Clock clock;
  private final Duration timeout;
  private final Map<String, CompletableFuture<CommandReply>> pending = new ConcurrentHashMap<>();

  public CommandClient(BrokerConnection broker, Clock clock, WebUiConfig config) {
    this.broker = broker;
    this.clock = clock;
    this.timeout = config.commandTimeout();
  }

  void subscribeReplies() {
    for (Target t : Target.values()) {
      broker.subscriber().subscribe(t.replies, CommandReply.class, (topic, reply) -> {
        CompletableFuture<CommandReply> waiting = pending.remove(reply.commandId());
        if (waiting != null) {
          waiting.complete(reply);
        } else {
          Log.debugf("reply %s to command %s nobody waits for", reply.id(), reply.commandId());
        }
      });
    }
  }

  /** Sends {@code action} with {@code args} and returns the reply; throws NoReplyException on timeout. */
  public CommandReply call(Target target, String action, Map<String, Object> args) {
    Command command = new Command(Payload.SCHEMA, Ids.newId(), clock.instant(), action, args);
    CompletableFuture<CommandReply> reply = new CompletableFuture<>();
    pending.put(command.id(), reply);
    try {
      broker.transport().publishConfirmed(target.commands, PayloadCodec.encode(command), 1, false, timeout);
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (MqttDeliveryException e) {
      throw new NoReplyException("the broker did not accept the command for the " + target.serviceName()
          + ": " + e.getMessage());
    } catch (TimeoutException e) {
      throw new NoReplyException("the " + target.serviceName() + " did not answer '" + action + "' within "
          + timeout.toSeconds() + " s; is it running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoReplyException("interrupted while waiting for the " + target.serviceName());
    } catch (ExecutionException e) {
      throw new NoReplyException("command failed: " + e.getCause());
    } finally {
      pending.remove(command.id());
    }
  }
}
