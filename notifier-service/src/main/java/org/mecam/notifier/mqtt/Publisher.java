package org.mecam.notifier.mqtt;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.mecam.events.NotificationSent;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.servicekit.BrokerConnection;

/** Publishes what the notifier tells others: {@code notifier/sent} records and command replies. */
@ApplicationScoped
public class Publisher {
  private final BrokerConnection broker;
  private final Clock clock;

  public Publisher(BrokerConnection broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
  }

  /** Announces a committed notification record (delivered = devices it was queued for). */
  public void sent(Plan plan) {
    var n = plan.notice();
    NotificationSent msg = new NotificationSent(Payload.SCHEMA, n.id(), clock.instant(), n.camera(), n.sourceId(),
        n.category().wire(), clip(n.title(), 200), clip(n.body(), 1000), plan.targets(),
        plan.suppressed() + plan.dropped());
    publish(Topics.NOTIFIER_SENT, PayloadCodec.encode(msg));
  }

  public void reply(byte[] encodedReply) {
    publish(Topics.NOTIFIER_REPLIES, encodedReply);
  }

  private void publish(String topic, byte[] payload) {
    try {
      broker.transport().publish(topic, payload, 1, false);
    } catch (RuntimeException e) {
      Log.warnf("publishing on %s failed: %s", topic, e.toString());
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
