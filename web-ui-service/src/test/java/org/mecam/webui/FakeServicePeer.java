package org.mecam.webui;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.mecam.events.Command;
import org.mecam.events.CommandReply;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.testkit.MqttTestClient;

/**
 * Stands in for the uploader or notifier on the real test broker: reads {@link Command}s from the
 * commands topic and answers each with a {@link CommandReply} (settings are kept and echoed back).
 */
final class FakeServicePeer implements AutoCloseable {
  final List<Command> received = new CopyOnWriteArrayList<>();
  final Map<String, Object> settings = new LinkedHashMap<>();
  private final MqttTestClient client;
  private final Thread thread;
  private volatile boolean running = true;

  FakeServicePeer(String url, String commandsTopic, String repliesTopic, Map<String, Object> initial) {
    settings.putAll(initial);
    client = MqttTestClient.connect(url, null, null);
    BlockingQueue<MqttTestClient.Received> queue = client.subscribe(commandsTopic);
    thread = new Thread(() -> {
      while (running) {
        try {
          MqttTestClient.Received r = queue.poll(200, TimeUnit.MILLISECONDS);
          if (r == null) {
            continue;
          }
          Command c = PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8), Command.class);
          received.add(c);
          Map<String, Object> data = new LinkedHashMap<>();
          boolean ok = true;
          String message = c.action();
          switch (c.action()) {
            case "get_settings", "settings_get" -> data.putAll(settings);
            case "set_settings", "settings_set" -> {
              settings.putAll(c.args());
              data.putAll(settings);
            }
            case "vapid_key" -> data.put("public_key",
                "BNbxGYNMhEIi9zrneh7mqV4EUanjLUK3m-mYZBc62frMKrEoMk88r3Lk596T0ck9xlT-7CY9z4VLlNGELfF2Z6w");
            case "fail" -> ok = false;
            default -> data.putAll(c.args());
          }
          CommandReply reply = new CommandReply(Payload.SCHEMA, Ids.newId(), Instant.now(), c.id(), c.action(), ok,
              ok ? message : "refused", data);
          client.publish(repliesTopic, PayloadCodec.encode(reply), 1, false);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // a malformed command is a test failure elsewhere; keep serving
        }
      }
    }, "fake-peer-" + commandsTopic);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    client.close();
  }
}
