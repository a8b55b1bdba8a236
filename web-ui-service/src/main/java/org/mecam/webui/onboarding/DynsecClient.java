package org.mecam.webui.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.webui.config.WebUiConfig;

/**
 * Talks to Mosquitto's dynamic security plugin: publishes commands on
 * {@code $CONTROL/dynamic-security/v1} and waits for the answers on
 * {@code $CONTROL/dynamic-security/v1/response}, matched by {@code correlationData}. When nothing
 * answers in time the broker has no dynsec plugin (or refuses this credential the control topic),
 * and {@link Unavailable} says so.
 */
@ApplicationScoped
public class DynsecClient {
  public static final String CONTROL = "$CONTROL/dynamic-security/v1";
  public static final String RESPONSE = CONTROL + "/response";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The broker did not answer: no dynsec plugin, no permission, or not connected. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  /** One command's answer: {@code error} is null on success; {@code data} is what it returned, if anything. */
  public record Result(String command, String error, JsonNode data) {
    public boolean ok() {
      return error == null;
    }
  }

  private final BrokerConnection broker;
  private final Duration timeout;
  private final Map<String, CompletableFuture<Result>> pending = new ConcurrentHashMap<>();

  public DynsecClient(BrokerConnection broker, WebUiConfig config) {
    this.broker = broker;
    this.timeout = config.dynsecTimeout();
  }

  void subscribe(@Observes StartupEvent event) {
    broker.transport().subscribe(RESPONSE, 1, message -> {
      JsonNode root;
      try {
        root = JSON.readTree(message.payload());
      } catch (IOException e) {
        Log.warnf("unreadable dynamic-security response ignored: %s", e.getMessage());
        return;
      }
      JsonNode responses = root == null ? null : root.get("responses");
      if (responses == null || !responses.isArray()) {
        return;
      }
      for (JsonNode r : responses) {
        JsonNode corr = r.get("correlationData");
        CompletableFuture<Result> waiting = corr == null ? null : pending.remove(corr.asText());
        if (waiting != null) {
          JsonNode err = r.get("error");
          waiting.complete(new Result(r.path("command").asText(), err == null || err.isNull() ? null : err.asText(),
              r.get("data")));
        }
      }
    });
  }

  /** A command object {@code {"command": name, ...}} to fill in. */
  public static ObjectNode command(String name) {
    return JSON.createObjectNode().put("command", name);
  }

  /**
   * Sends {@code commands} in one message and returns their answers in the same order; throws
   * {@link Unavailable} when any is not answered within the timeout.
   */
  public List<Result> execute(List<ObjectNode> commands) {
    if (!broker.transport().isConnected()) {
      throw new Unavailable("the web UI is not connected to the broker; try again in a moment");
    }
    String batch = UUID.randomUUID().toString();
    List<CompletableFuture<Result>> futures = new ArrayList<>();
    ObjectNode message = JSON.createObjectNode();
    ArrayNode list = message.putArray("commands");
    for (int i = 0; i < commands.size(); i++) {
      String corr = batch + ":" + i;
      CompletableFuture<Result> f = new CompletableFuture<>();
      pending.put(corr, f);
      futures.add(f);
      list.add(commands.get(i).deepCopy().put("correlationData", corr));
    }
    try {
      broker.transport().publish(CONTROL, JSON.writeValueAsBytes(message), 1, false);
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Result> out = new ArrayList<>();
      for (CompletableFuture<Result> f : futures) {
        long left = Math.max(1, deadline - System.nanoTime());
        out.add(f.get(left, TimeUnit.NANOSECONDS));
      }
      return out;
    } catch (TimeoutException e) {
      throw new Unavailable("the broker did not answer on " + CONTROL + " within " + timeout.toSeconds()
          + " s: cameras are added through Mosquitto's dynamic security plugin, so the broker must load"
          + " mosquitto_dynamic_security.so and let the web UI's credential use that topic (see docs/operations.md)");
    } catch (IOException | ExecutionException e) {
      throw new IllegalStateException("dynamic-security command failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while waiting for the broker");
    } finally {
      for (int i = 0; i < commands.size(); i++) {
        pending.remove(batch + ":" + i);
      }
    }
  }

  /** Sends one command and returns its answer. */
  public Result execute(ObjectNode command) {
    return execute(List.of(command)).get(0);
  }
}
