package org.mecam.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import javax.net.SocketFactory;

/**
 * A small synchronous MQTT 3.1.1 client (Eclipse Paho) for tests: connect, publish, subscribe and
 * wait for messages, with every message it ever received kept in arrival order.
 */
public final class MqttTestClient implements AutoCloseable {

  /** How long publish, subscribe and connect may block before the test fails. */
  private static final long OPERATION_TIMEOUT_MS = 10_000;

  /** One message as this client received it; the payload is decoded as UTF-8. */
  public record Received(String topic, String payload, boolean retained) {}

  private final MqttClient client;
  private final Object lock = new Object();
  private final List<Received> history = new ArrayList<>();
  private final List<Boolean> taken = new ArrayList<>();
  private final Map<String, BlockingQueue<Received>> queues = new ConcurrentHashMap<>();
  private volatile Throwable connectionLost;

  private MqttTestClient(MqttClient client) {
    this.client = client;
  }

  /** Connects with a random client id and a clean session; {@code user} null means anonymous. */
  public static MqttTestClient connect(String url, String user, String password) {
    return connect(url, "mecam-test-" + UUID.randomUUID(), user, password, true);
  }

  /**
   * Connects with the given client id; with {@code cleanSession=false} the broker keeps the session
   * and queues QoS 1 messages while the client is away, and they arrive right after connecting
   * (they show up in {@link #received()} and {@link #await}, even before any new subscribe).
   */
  public static MqttTestClient connect(
      String url, String clientId, String user, String password, boolean cleanSession) {
    return connect(url, clientId, user, password, cleanSession, null);
  }

  /**
   * Connects with a random client id and a clean session through {@code socketFactory} (e.g. TLS
   * trusting one CA for an {@code ssl://} URL; Paho verifies the host name).
   */
  public static MqttTestClient connect(String url, String user, String password, SocketFactory socketFactory) {
    return connect(url, "mecam-test-" + UUID.randomUUID(), user, password, true, socketFactory);
  }

  /**
   * As {@link #tryConnect(String, String, String)}, through {@code socketFactory}; a failure Paho
   * reports with reason code 0 (e.g. a TLS handshake refused) is returned as -1, never as 0.
   */
  public static int tryConnect(String url, String user, String password, SocketFactory socketFactory) {
    try (MqttTestClient ignored = connect(url, user, password, socketFactory)) {
      return 0;
    } catch (IllegalStateException e) {
      int code = e.getCause() instanceof MqttException me ? me.getReasonCode() : -1;
      return code == 0 ? -1 : code;
    }
  }

  private static MqttTestClient connect(String url, String clientId, String user, String password,
      boolean cleanSession, SocketFactory socketFactory) {
    try {
      MqttClient paho = new MqttClient(url, clientId, new MemoryPersistence());
      MqttTestClient result = new MqttTestClient(paho);
      // The callback must be in place before connecting, or queued session messages are dropped.
      paho.setCallback(result.new Dispatcher());
      paho.setTimeToWait(OPERATION_TIMEOUT_MS);
      MqttConnectOptions options = options(user, password, cleanSession);
      if (socketFactory != null) {
        options.setSocketFactory(socketFactory);
        options.setHttpsHostnameVerificationEnabled(true);
      }
      paho.connect(options);
      return result;
    } catch (MqttException e) {
      throw new IllegalStateException(
          "MQTT connect to " + url + " as " + (user == null ? "anonymous" : user) + " failed: "
              + describe(e), e);
    }
  }

  /**
   * Tries to connect and disconnects again; returns 0 when accepted, otherwise Paho's reason code
   * (4 = bad user name or password, 5 = not authorised, 32103 = no broker listening).
   */
  public static int tryConnect(String url, String user, String password) {
    try (MqttTestClient ignored = connect(url, user, password)) {
      return 0;
    } catch (IllegalStateException e) {
      return e.getCause() instanceof MqttException me ? me.getReasonCode() : -1;
    }
  }

  private static MqttConnectOptions options(String user, String password, boolean cleanSession) {
    MqttConnectOptions o = new MqttConnectOptions();
    // Pin 3.1.1: Paho's default retries a refused connect as MQTT 3.1, doubling broker log noise.
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(cleanSession);
    // Tests decide when to reconnect; a silent reconnect would hide what the test is proving.
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    o.setKeepAliveInterval(30);
    o.setMaxInflight(1000);
    if (user != null) {
      o.setUserName(user);
      o.setPassword(password == null ? new char[0] : password.toCharArray());
    }
    return o;
  }

  /** Publishes and, for QoS 1 and 2, waits for the broker's acknowledgement; throws on failure. */
  public void publish(String topic, String payload, int qos, boolean retained) {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
  }

  /** Publishes raw bytes (for junk and oversize payloads); waits as {@link #publish(String, String, int, boolean)}. */
  public void publish(String topic, byte[] payload, int qos, boolean retained) {
    try {
      MqttMessage message = new MqttMessage(payload);
      message.setQos(qos);
      message.setRetained(retained);
      client.publish(topic, message);
    } catch (MqttException e) {
      throw new IllegalStateException("publish to " + topic + " failed: " + describe(e), e);
    }
  }

  /**
   * Publishes and reports whether the broker acknowledged it. Note that Mosquitto 2.x acknowledges
   * a publish its ACL denies (MQTT 3.1.1 has no way to say no) and silently drops it, so true does
   * not mean delivered: prove denial by watching a privileged subscriber instead.
   */
  public boolean tryPublish(String topic, String payload, int qos, boolean retained) {
    try {
      publish(topic, payload, qos, retained);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Subscribes at QoS 1 and returns a queue fed with every later message matching the filter. */
  public BlockingQueue<Received> subscribe(String filter) {
    return subscribe(filter, 1);
  }

  /** Subscribes at the given QoS; throws when the broker refuses the subscription. */
  public BlockingQueue<Received> subscribe(String filter, int qos) {
    if (!trySubscribe(filter, qos)) {
      throw new IllegalStateException("broker refused the subscription to " + filter);
    }
    return queues.get(filter);
  }

  /**
   * Subscribes and reports whether the broker granted it; a refused filter still gets a local queue
   * (it stays empty), so a test can assert that nothing arrives either way.
   */
  public boolean trySubscribe(String filter, int qos) {
    // Register the local queue first: retained messages can arrive before subscribe() returns.
    queues.computeIfAbsent(filter, f -> new LinkedBlockingQueue<>());
    try {
      IMqttToken token = client.subscribeWithResponse(new String[] {filter}, new int[] {qos});
      int[] granted = token.getGrantedQos();
      return granted.length == 1 && granted[0] != 0x80;
    } catch (MqttException e) {
      if (e.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
        return false;
      }
      throw new IllegalStateException("subscribe to " + filter + " failed: " + describe(e), e);
    }
  }

  /**
   * Waits for the first received message matching {@code filter} that no earlier {@code await}
   * returned, including messages that arrived before this call; fails the test on timeout.
   */
  public Received await(String filter, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        for (int i = 0; i < history.size(); i++) {
          if (!taken.get(i) && MqttTopic.isMatched(filter, history.get(i).topic())) {
            taken.set(i, true);
            return history.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no message on " + filter + " within " + timeout + "; received so far: " + history
                  + (connectionLost == null ? "" : "; connection lost: " + connectionLost));
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting on " + filter, e);
        }
      }
    }
  }

  /** Every message received since connecting, in arrival order. */
  public List<Received> received() {
    synchronized (lock) {
      return List.copyOf(history);
    }
  }

  /** Every message received since connecting whose topic matches the filter. */
  public List<Received> received(String filter) {
    synchronized (lock) {
      return history.stream().filter(r -> MqttTopic.isMatched(filter, r.topic())).toList();
    }
  }

  /** Whether the connection is up (false after the broker was stopped or killed). */
  public boolean isConnected() {
    return client.isConnected();
  }

  /** The cause of the last lost connection, or null. */
  public Throwable connectionLost() {
    return connectionLost;
  }

  /** Disconnects cleanly (a persistent session stays on the broker) and releases the client. */
  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(2_000);
      }
    } catch (MqttException e) {
      // Broker already gone (stopped or killed by the test); closing is all that is left.
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // Nothing useful to do for a test client that cannot close.
    }
  }

  private static String describe(MqttException e) {
    return e.getMessage() + " (reason " + e.getReasonCode() + ")";
  }

  /** Records every arriving message and hands it to each matching subscription queue. */
  private final class Dispatcher implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Received r =
          new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained());
      synchronized (lock) {
        history.add(r);
        taken.add(false);
        lock.notifyAll();
      }
      queues.forEach(
          (filter, queue) -> {
            if (MqttTopic.isMatched(filter, topic)) {
              queue.add(r);
            }
          });
    }

    @Override
    public void connectionLost(Throwable cause) {
      connectionLost = cause;
      synchronized (lock) {
        lock.notifyAll();
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
