package org.mecam.agent.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.mecam.events.ArmCommand;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.mqtt.IncomingMessage;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.mqtt.MqttTransport;

/**
 * The broker as the arm/disarm subscription sees it: a raw {@code ON} or {@code OFF} on the camera's
 * {@code set/armed} topic (what a Home Assistant switch sends before 2024.8, which ignores the
 * discovery config's {@code command_template}) is turned into the equivalent {@link ArmCommand} before
 * validation; every other payload passes unchanged and is validated (and dead-lettered) as before.
 */
public final class RawArmCommands implements MqttTransport {
  private final MqttTransport delegate;
  private final String setArmedTopic;
  private final String camera;
  private final Clock clock;

  public RawArmCommands(MqttTransport delegate, String setArmedTopic, String camera, Clock clock) {
    this.delegate = delegate;
    this.setArmedTopic = setArmedTopic;
    this.camera = camera;
    this.clock = clock;
  }

  /** The ArmCommand a raw payload stands for, or null when the payload is not exactly ON or OFF. */
  public static ArmCommand fromRaw(byte[] payload, String camera, Clock clock) {
    String text = new String(payload, StandardCharsets.UTF_8);
    if (!text.equals("ON") && !text.equals("OFF")) {
      return null;
    }
    return new ArmCommand(Payload.SCHEMA, Ids.newId(), camera, clock.instant(), text.equals("ON"),
        "home-assistant (raw " + text + ")");
  }

  @Override
  public void subscribe(String filter, int qos, org.mecam.mqtt.MessageHandler handler) {
    if (!filter.equals(setArmedTopic)) {
      delegate.subscribe(filter, qos, handler);
      return;
    }
    delegate.subscribe(filter, qos, message -> {
      ArmCommand raw = fromRaw(message.payload(), camera, clock);
      handler.handle(raw == null ? message : new IncomingMessage(message.topic(), PayloadCodec.encode(raw),
          message.qos(), message.retained(), message.duplicate()));
    });
  }

  @Override
  public void publish(String topic, byte[] payload, int qos, boolean retained) {
    delegate.publish(topic, payload, qos, retained);
  }

  @Override
  public void publishConfirmed(String topic, byte[] payload, int qos, boolean retained, Duration timeout)
      throws MqttDeliveryException {
    delegate.publishConfirmed(topic, payload, qos, retained, timeout);
  }

  @Override
  public boolean isConnected() {
    return delegate.isConnected();
  }

  @Override
  public void close() {
    // The agent owns and closes the real transport.
  }
}
