package org.mecam.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mecam.events.Command;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttTestClient;

/** Sends notifier commands over the broker as the web UI does and waits for the reply. */
final class Commands {
  private final MqttTestClient client;
  private final BlockingQueue<MqttTestClient.Received> replies;

  Commands(MqttTestClient client) {
    this.client = client;
    this.replies = client.subscribe(Topics.NOTIFIER_REPLIES);
  }

  JsonNode call(String action, Map<String, Object> args) throws Exception {
    String id = Ids.newId();
    return call(id, action, args);
  }

  JsonNode call(String id, String action, Map<String, Object> args) throws Exception {
    Command c = new Command(Payload.SCHEMA, id, Instant.now(), action, args);
    client.publish(Topics.NOTIFIER_COMMANDS, PayloadCodec.encode(c), 1, false);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      MqttTestClient.Received r = replies.poll(200, TimeUnit.MILLISECONDS);
      if (r != null) {
        JsonNode reply = PayloadCodec.mapper().readTree(r.payload());
        if (reply.path("commandId").asText().equals(id)) {
          return reply;
        }
      }
    }
    throw new AssertionError("no reply to " + action + " " + id);
  }
}
