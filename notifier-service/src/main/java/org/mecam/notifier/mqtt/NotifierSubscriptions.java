package org.mecam.notifier.mqtt;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.mecam.events.Alert;
import org.mecam.events.CameraState;
import org.mecam.events.Command;
import org.mecam.events.MediaStored;
import org.mecam.events.MotionEvent;
import org.mecam.events.Topics;
import org.mecam.mqtt.ValidatingSubscriber;
import org.mecam.notifier.service.CommandHandler;
import org.mecam.notifier.service.DeliveryDispatcher;
import org.mecam.notifier.service.EventIntake;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.notifier.service.PublicUrlListener;
import org.mecam.servicekit.BrokerConnection;

/**
 * Subscribes the notifier to its topics at start-up. Each handler commits its effect before it
 * returns (so the message is acknowledged only then) and then announces the record; the sends were
 * started by the planner inside the transaction.
 */
@ApplicationScoped
public class NotifierSubscriptions {
  private final BrokerConnection broker;
  private final EventIntake intake;
  private final CommandHandler commands;
  private final DeliveryDispatcher dispatcher;
  private final Publisher publisher;
  private final PublicUrlListener webUiSettings;

  public NotifierSubscriptions(BrokerConnection broker, EventIntake intake, CommandHandler commands,
      DeliveryDispatcher dispatcher, Publisher publisher, PublicUrlListener webUiSettings) {
    this.webUiSettings = webUiSettings;
    this.broker = broker;
    this.intake = intake;
    this.commands = commands;
    this.dispatcher = dispatcher;
    this.publisher = publisher;
  }

  /**
   * Runs before the service kit's {@code @Startup} beans: everything slow (database, channels,
   * resuming the outbox) is done first, and the broker connection is created only then, by
   * {@code broker.subscriber()}, so the handlers are registered while the connection is still being
   * established. PahoTransport acknowledges and drops a message for which no handler is registered
   * yet — such as the messages the broker kept for this persistent session while the service was down
   * — so registering late would lose them.
   */
  void start(@Observes @Priority(1) StartupEvent event) throws Exception {
    dispatcher.resumePending();
    ValidatingSubscriber s = broker.subscriber();
    s.subscribe(Topics.ALL_CAMERA_STATE, CameraState.class, intake::state);
    s.subscribe(Topics.ALL_CAMERA_EVENTS, MotionEvent.class, (t, e) -> after(intake.motion(t, e)));
    s.subscribe(Topics.ALL_CAMERA_ALERTS, Alert.class, (t, a) -> after(intake.alert(t, a)));
    s.subscribe(Topics.ALERTS, Alert.class, (t, a) -> after(intake.alert(t, a)));
    s.subscribe(Topics.ALL_MEDIA_STORED, MediaStored.class, (t, m) -> after(intake.mediaStored(t, m)));
    s.subscribeAvailability(Topics.ALL_CAMERA_AVAILABILITY, (t, v) -> after(intake.availability(t, v)));
    s.subscribe(Topics.NOTIFIER_COMMANDS, Command.class, (t, c) -> {
      CommandHandler.Result r = commands.handle(c);
      publisher.reply(r.reply());
      r.afterCommit().forEach(Runnable::run);
      after(r.plans());
    });
    broker.transport().subscribe(PublicUrlListener.TOPIC, 1, m -> webUiSettings.apply(m.payload()));
    Log.info("notifier subscribed to camera events, alerts, availability, state, stored media and commands");
  }

  private void after(List<Plan> plans) {
    for (Plan p : plans) {
      publisher.sent(p);
    }
  }
}
