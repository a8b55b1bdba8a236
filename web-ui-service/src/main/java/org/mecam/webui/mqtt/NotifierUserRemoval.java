package org.mecam.webui.mqtt;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mecam.events.Command;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.servicekit.BrokerConnection;

/**
 * Tells the notifier that a user was removed ({@code remove-user-devices {user}}, contract 5), at least
 * once: the command is published with QoS 1 and counts as sent once the broker confirms it (the
 * notifier's persistent session keeps it while the notifier is down); until then it is published
 * again every few seconds with the same command id, so the notifier acts on it once.
 */
@ApplicationScoped
public class NotifierUserRemoval {
  private static final Duration RETRY = Duration.ofSeconds(5);
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private final BrokerConnection broker;
  private final Clock clock;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "notifier-user-removal");
    t.setDaemon(true);
    return t;
  });

  public NotifierUserRemoval(BrokerConnection broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
  }

  /** Sends the removal of {@code user}'s devices, acting as {@code actor} (an owner); returns at once. */
  public void userRemoved(String user, String actor) {
    Command command = new Command(Payload.SCHEMA, Ids.newId(), clock.instant(), "remove-user-devices",
        Map.of("user", user, "actor", actor == null ? "system" : actor, "role", "owner"));
    retries.execute(() -> send(command, 1));
  }

  private void send(Command command, int attempt) {
    try {
      broker.transport().publishConfirmed(Topics.NOTIFIER_COMMANDS, PayloadCodec.encode(command), 1, false,
          CONFIRM_TIMEOUT);
      Log.infof("notifier told to remove the devices of user '%s' (command %s)", command.args().get("user"),
          command.id());
    } catch (MqttDeliveryException | RuntimeException e) {
      Log.warnf("telling the notifier about removed user '%s' failed (attempt %d), retrying in %d s: %s",
          command.args().get("user"), attempt, RETRY.toSeconds(), e.getMessage());
      retries.schedule(() -> send(command, attempt + 1), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    retries.shutdownNow();
  }
}
