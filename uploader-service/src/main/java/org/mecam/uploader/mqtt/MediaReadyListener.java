package org.mecam.uploader.mqtt;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.mecam.events.Command;
import org.mecam.events.MediaReady;
import org.mecam.events.Topics;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.uploader.service.CommandHandler;
import org.mecam.uploader.service.MediaIntake;
import org.mecam.uploader.service.Pipeline;

/** Subscribes the uploader to media-ready messages and commands once the service has started. */
@ApplicationScoped
public class MediaReadyListener {
  private final BrokerConnection broker;
  private final MediaIntake intake;
  private final CommandHandler commands;
  private final OutboxPublisher outbox;
  private final Pipeline pipeline;

  public MediaReadyListener(BrokerConnection broker, MediaIntake intake, CommandHandler commands,
      OutboxPublisher outbox, Pipeline pipeline) {
    this.broker = broker;
    this.intake = intake;
    this.commands = commands;
    this.outbox = outbox;
    this.pipeline = pipeline;
  }

  void start(@Observes StartupEvent event) {
    pipeline.start();
    outbox.start();
    broker.subscriber().subscribe(Topics.ALL_CAMERA_MEDIA, MediaReady.class,
        (topic, media) -> intake.accept(media));
    broker.subscriber().subscribe(Topics.UPLOADER_COMMANDS, Command.class,
        (topic, command) -> commands.handle(command));
    Log.infof("subscribed to %s and %s", Topics.ALL_CAMERA_MEDIA, Topics.UPLOADER_COMMANDS);
  }
}
