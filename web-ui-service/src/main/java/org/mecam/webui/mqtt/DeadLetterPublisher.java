package org.mecam.webui.mqtt;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.mecam.events.DeadLetter;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.IncomingMessage;
import org.mecam.mqtt.MqttDeliveryException;
import org.mecam.servicekit.BrokerConnection;

/**
 * Dead-letters messages on topics that carry no payload record (the uploader's statistics), the same
 * way {@code ValidatingSubscriber} does for record topics.
 */
@ApplicationScoped
public class DeadLetterPublisher {
  private final BrokerConnection broker;
  private final Clock clock;

  public DeadLetterPublisher(BrokerConnection broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
  }

  public void publish(IncomingMessage message, String reason) throws MqttDeliveryException {
    byte[] payload = message.payload();
    int n = Math.min(payload.length, DeadLetter.PREFIX_CHARS);
    String prefix;
    try {
      prefix = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(payload, 0, n))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      prefix = "";
    }
    DeadLetter letter = new DeadLetter(Payload.SCHEMA, Ids.newId(), clock.instant(), broker.service(),
        clip(message.topic(), 512), clip(reason, 2000), payload.length, prefix);
    Log.warnf("dead-lettered message on %s: %s", clip(message.topic(), 200), clip(reason, 300));
    broker.transport().publishConfirmed(Topics.deadLetter(broker.service()), PayloadCodec.encode(letter),
        1, false, Duration.ofSeconds(10));
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
