package org.mecam.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import org.mecam.events.DeadLetter;
import org.mecam.events.Ids;
import org.mecam.events.InvalidPayloadException;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;

/**
 * Subscribes typed handlers to contract topics: each payload is validated before the handler sees
 * it, and whatever fails validation (or keeps failing in the handler) is published to
 * {@code mecam/v1/dead-letter/<service>} (or a given dead-letter topic) with the reason before the original is acknowledged.
 */
public final class ValidatingSubscriber {
  private static final Logger LOG = Logger.getLogger(ValidatingSubscriber.class.getName());

  private final MqttTransport transport;
  private final String service;
  private final String deadLetterTopic;
  private final Clock clock;
  private final int maxAttempts;

  /** A handler of one validated payload; returning normally means it is durably recorded. */
  @FunctionalInterface
  public interface Handler<T> {
    void handle(String topic, T payload) throws Exception;
  }

  public ValidatingSubscriber(MqttTransport transport, String service, Clock clock) {
    this(transport, service, clock, 5);
  }

  /** {@code maxAttempts}: how often a handler may fail on one message before it is dead-lettered. */
  public ValidatingSubscriber(MqttTransport transport, String service, Clock clock, int maxAttempts) {
    this(transport, service, Topics.deadLetter(service), clock, maxAttempts);
  }

  /**
   * With dead letters on {@code deadLetterTopic} instead of {@code dead-letter/<service>} (a camera
   * agent may write only its own {@link Topics#cameraDeadLetter(String)}).
   */
  public ValidatingSubscriber(MqttTransport transport, String service, String deadLetterTopic, Clock clock,
      int maxAttempts) {
    this.transport = transport;
    this.service = service;
    this.deadLetterTopic = deadLetterTopic;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  public <T extends Payload> void subscribe(String filter, Class<T> type, Handler<T> handler) {
    transport.subscribe(filter, 1, message -> {
      FaultInjection.at(FaultInjection.BEFORE_COMMIT);
      T payload;
      try {
        payload = PayloadCodec.decode(message.topic(), message.payload(), type);
      } catch (InvalidPayloadException e) {
        deadLetter(message, e.reason());
        return;
      }
      handleWithRetries(message, payload, handler);
    });
  }

  /** Subscribes a handler to plain-text availability topics ("online", "offline", "stopped"). */
  public void subscribeAvailability(String filter, Handler<String> handler) {
    transport.subscribe(filter, 1, message -> {
      String text = new String(message.payload(), StandardCharsets.UTF_8);
      String camera = Topics.cameraOf(message.topic());
      if (!text.equals(Topics.ONLINE) && !text.equals(Topics.OFFLINE) && !text.equals(Topics.STOPPED)) {
        deadLetter(message, "availability must be 'online', 'offline' or 'stopped'");
        return;
      }
      if (camera != null && org.mecam.events.CameraIds.problem(camera) != null) {
        deadLetter(message, org.mecam.events.CameraIds.problem(camera));
        return;
      }
      handleWithRetries(message, text, handler);
    });
  }

  private <T> void handleWithRetries(IncomingMessage message, T payload, Handler<T> handler)
      throws Exception {
    Exception last = null;
    long backoffMs = 100;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        handler.handle(message.topic(), payload);
        return;
      } catch (Exception e) {
        last = e;
        LOG.warning("handling " + message.topic() + " failed (attempt " + attempt + "/" + maxAttempts
            + "): " + PahoTransport.describe(e));
        if (attempt < maxAttempts) {
          Thread.sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 4, 5_000);
        }
      }
    }
    deadLetter(message, "processing failed " + maxAttempts + " times: " + PahoTransport.describe(last));
  }

  /** Publishes the dead letter and waits for the broker to confirm it; throws (no ack) if it cannot. */
  private void deadLetter(IncomingMessage message, String reason) throws MqttDeliveryException {
    DeadLetter letter = new DeadLetter(Payload.SCHEMA, Ids.newId(), clock.instant(), service,
        clip(message.topic(), 512), clip(reason, 2000), message.payload().length,
        prefix(message.payload()));
    LOG.warning("dead-lettered message on " + clip(message.topic(), 200) + ": " + clip(reason, 300));
    transport.publishConfirmed(deadLetterTopic, PayloadCodec.encode(letter), 1, false,
        Duration.ofSeconds(10));
  }

  private static String prefix(byte[] payload) {
    int n = Math.min(payload.length, DeadLetter.PREFIX_CHARS);
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return decoder.decode(ByteBuffer.wrap(payload, 0, n)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return "";
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
