package org.mecam.webui.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mecam.events.ArmCommand;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.webui.domain.CameraView;
import org.mecam.webui.mqtt.CommandClient;
import org.mecam.webui.store.EventQueries;

/** Arms and disarms cameras by publishing {@link ArmCommand}s; the agents answer with new retained state. */
@ApplicationScoped
public class ArmService {
  private final BrokerConnection broker;
  private final EventQueries queries;
  private final Clock clock;

  public ArmService(BrokerConnection broker, EventQueries queries, Clock clock) {
    this.broker = broker;
    this.queries = queries;
    this.clock = clock;
  }

  /** Sends the command and waits for the broker to accept it; returns the command id. */
  public String setArmed(String camera, boolean armed, String requestedBy) {
    ArmCommand command = new ArmCommand(Payload.SCHEMA, Ids.newId(), camera, clock.instant(), armed,
        requestedBy);
    try {
      broker.transport().publishConfirmed(Topics.cameraSetArmed(camera), PayloadCodec.encode(command), 1,
          false, Duration.ofSeconds(5));
    } catch (MqttDeliveryException e) {
      throw new CommandClient.NoReplyException("the broker did not accept the command: " + e.getMessage());
    }
    Log.infof("camera %s %s by %s (command %s)", camera, armed ? "armed" : "disarmed", requestedBy,
        command.id());
    return command.id();
  }

  /** Arms or disarms every known camera; returns the cameras addressed. */
  public List<String> setAllArmed(boolean armed, String requestedBy) {
    List<String> done = new ArrayList<>();
    for (CameraView c : queries.cameras()) {
      setArmed(c.camera(), armed, requestedBy);
      done.add(c.camera());
    }
    return done;
  }
}
