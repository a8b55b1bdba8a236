package org.mecam.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.mecam.events.Topics;

/**
 * MQTT 3.1.1 transport on Eclipse Paho with manual acknowledgement: a QoS 1 message is acknowledged
 * only after its handler returned, so a crash before that makes the broker deliver it again
 * (see docs/design/0001-mqtt-client-and-acknowledgement.md). Handlers run one at a time, in arrival
 * order, on a worker thread of their own (never on Paho's callback thread, where waiting for a
 * publish to complete would deadlock).
 */
public final class PahoTransport implements MqttTransport, MqttCallbackExtended {
  private static final Logger LOG = Logger.getLogger(PahoTransport.class.getName());

  private final MqttSettings settings;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final ExecutorService worker;
  // Packet ids are per connection: an ack for a message from an earlier connection could
  // acknowledge an unrelated new message, so each message remembers the connection it came on.
  private final AtomicLong connection = new AtomicLong();
  // True once the current connection's subscriptions are all confirmed by the broker.
  private volatile boolean subscribed;
  private final Thread connector;
  private volatile boolean closed;
  private volatile String lastFailure = "";

  private record Subscription(String filter, int qos, MessageHandler handler) {}

  /** A message that arrived before any handler for its topic was registered. */
  private record Unrouted(String topic, MqttMessage message, long connection, long arrivedNanos) {}

  // A persistent session delivers queued messages as soon as it connects, possibly before the program
  // has registered its handlers; such messages wait here, unacknowledged, for their handler.
  private final java.util.ArrayDeque<Unrouted> unrouted = new java.util.ArrayDeque<>();
  // Past this, a message with no handler is taken as a leftover subscription and acknowledged.
  private static final long UNROUTED_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

  private PahoTransport(MqttSettings settings) throws MqttException {
    this.settings = settings;
    MqttClientPersistence persistence = settings.persistenceDir() == null
        ? new MemoryPersistence()
        : new MqttDefaultFilePersistence(settings.persistenceDir().toString());
    this.client = new MqttAsyncClient(settings.url(), settings.clientId(), persistence);
    client.setManualAcks(true);
    client.setCallback(this);
    DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
    buffer.setBufferEnabled(true);
    buffer.setBufferSize(10_000);
    buffer.setPersistBuffer(settings.persistenceDir() != null);
    buffer.setDeleteOldestMessages(false);
    client.setBufferOpts(buffer);
    this.options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(false);
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay((int) settings.maxReconnectDelay().toMillis());
    options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    options.setConnectionTimeout(10);
    options.setMaxInflight(settings.maxInflight());
    if (settings.url().startsWith("tcp://")) {
      options.setSocketFactory(new NoDelaySocketFactory());
    } else if (MqttSettings.isTls(settings.url())) {
      if (settings.caPem() != null) {
        options.setSocketFactory(PinnedCaSocketFactory.fromPem(settings.caPem(), "the broker CA"));
      }
      // The certificate must name the host we dialled; Paho's default, stated so it stays on.
      options.setHttpsHostnameVerificationEnabled(true);
    }
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password());
    }
    if (settings.availabilityTopic() != null) {
      options.setWill(settings.availabilityTopic(), bytes(Topics.OFFLINE), 1, true);
    }
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mqtt-handler-" + settings.clientId());
      t.setDaemon(true);
      return t;
    });
    this.connector = new Thread(this::connectUntilConnected, "mqtt-connect-" + settings.clientId());
    connector.setDaemon(true);
  }

  /** Creates the client and starts connecting in the background; returns at once. */
  public static PahoTransport start(MqttSettings settings) {
    try {
      PahoTransport t = new PahoTransport(settings);
      t.connector.start();
      return t;
    } catch (MqttException e) {
      throw new IllegalStateException("cannot create MQTT client: " + describe(e), e);
    }
  }

  /**
   * Waits until connected and every subscription is confirmed by the broker; returns false when
   * the timeout passed first.
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  // Paho's automatic reconnect only starts after a first successful connect; until then we retry.
  private void connectUntilConnected() {
    long delayMs = 250;
    while (!closed && !client.isConnected()) {
      try {
        client.connect(options).waitForCompletion(15_000);
        return;
      } catch (MqttException e) {
        noteFailure("cannot connect to " + settings.url() + " as " + settings.clientId() + ": "
            + describe(e));
        if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CONNECTED
            || e.getReasonCode() == MqttException.REASON_CODE_CONNECT_IN_PROGRESS) {
          return;
        }
      }
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      delayMs = Math.min(delayMs * 2, settings.maxReconnectDelay().toMillis());
    }
  }

  private void noteFailure(String message) {
    // One line per change of reason, not one per retry.
    if (!message.equals(lastFailure)) {
      LOG.warning(message);
      lastFailure = message;
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    connection.incrementAndGet();
    lastFailure = "";
    LOG.info((reconnect ? "reconnected" : "connected") + " to broker " + serverUri + " as "
        + settings.clientId());
    try {
      if (settings.availabilityTopic() != null) {
        client.publish(settings.availabilityTopic(), bytes(Topics.ONLINE), 1, true);
      }
      AtomicInteger pending = new AtomicInteger(subscriptions.size());
      long conn = connection.get();
      subscribed = pending.get() == 0;
      for (Subscription s : subscriptions.values()) {
        client.subscribe(s.filter(), s.qos(), null, new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            if (pending.decrementAndGet() == 0 && conn == connection.get()) {
              subscribed = true;
            }
          }

          @Override
          public void onFailure(IMqttToken token, Throwable e) {
            LOG.warning("broker refused subscription to " + s.filter() + ": " + describe(e));
          }
        });
      }
    } catch (MqttException e) {
      LOG.warning("cannot announce availability or subscribe after connect: " + describe(e));
    }
  }

  @Override
  public void connectionLost(Throwable cause) {
    subscribed = false;
    connection.incrementAndGet();
    if (!closed) {
      noteFailure("lost broker connection (" + describe(cause) + "); reconnecting");
    }
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    long conn = connection.get();
    worker.execute(() -> dispatch(topic, message, conn));
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {
    // Publishers that need confirmation wait on their token.
  }

  private Subscription route(String topic) {
    for (Subscription s : subscriptions.values()) {
      if (Topics.matches(s.filter(), topic)) {
        return s;
      }
    }
    return null;
  }

  // Runs on the worker thread only, like dispatch, so arrival order is kept.
  private void drainUnrouted() {
    long now = System.nanoTime();
    java.util.Iterator<Unrouted> it = unrouted.iterator();
    java.util.List<Unrouted> ready = new java.util.ArrayList<>();
    while (it.hasNext()) {
      Unrouted u = it.next();
      if (route(u.topic()) != null) {
        ready.add(u);
        it.remove();
      } else if (now - u.arrivedNanos() > UNROUTED_GRACE_NANOS) {
        LOG.warning("no handler for " + u.topic() + " after 60 s (a leftover subscription?); "
            + "acknowledging and dropping it");
        ack(u.message(), u.connection());
        it.remove();
      }
    }
    for (Unrouted u : ready) {
      dispatch(u.topic(), u.message(), u.connection());
    }
  }

  private void dispatch(String topic, MqttMessage message, long conn) {
    if (!unrouted.isEmpty()) {
      drainUnrouted();
    }
    Subscription sub = route(topic);
    if (sub == null) {
      unrouted.add(new Unrouted(topic, message, conn, System.nanoTime()));
      return;
    }
    IncomingMessage in = new IncomingMessage(topic, message.getPayload(), message.getQos(),
        message.isRetained(), message.isDuplicate());
    long backoffMs = 200;
    while (!closed) {
      try {
        sub.handler().handle(in);
        FaultInjection.at(FaultInjection.BEFORE_ACK);
        ack(message, conn);
        return;
      } catch (Exception e) {
        LOG.warning("handler for " + topic + " failed (" + describe(e) + "); retrying in "
            + backoffMs + " ms, message stays unacknowledged");
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
    }
  }

  private void ack(MqttMessage message, long conn) {
    if (message.getQos() == 0) {
      return;
    }
    if (conn != connection.get()) {
      LOG.fine("not acknowledging message " + message.getId()
          + " from an earlier connection; the broker delivers it again");
      return;
    }
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      LOG.fine("cannot acknowledge message " + message.getId() + ": " + describe(e));
    }
  }

  @Override
  public void publish(String topic, byte[] payload, int qos, boolean retained) {
    try {
      client.publish(topic, payload, qos, retained);
    } catch (MqttException e) {
      LOG.warning("cannot publish to " + topic + ": " + describe(e));
    }
  }

  @Override
  public void publishConfirmed(String topic, byte[] payload, int qos, boolean retained,
      Duration timeout) throws MqttDeliveryException {
    try {
      IMqttDeliveryToken token = client.publish(topic, payload, qos, retained);
      token.waitForCompletion(timeout.toMillis());
      if (!token.isComplete()) {
        throw new MqttDeliveryException("broker did not confirm " + topic + " within " + timeout, null);
      }
    } catch (MqttException e) {
      throw new MqttDeliveryException("cannot publish to " + topic + ": " + describe(e), e);
    }
  }

  @Override
  public void subscribe(String filter, int qos, MessageHandler handler) {
    subscriptions.put(filter, new Subscription(filter, qos, handler));
    worker.execute(this::drainUnrouted);
    if (client.isConnected()) {
      try {
        IMqttToken token = client.subscribe(filter, qos);
        token.waitForCompletion(10_000);
      } catch (MqttException e) {
        LOG.warning("cannot subscribe to " + filter + " now (" + describe(e)
            + "); will subscribe on reconnect");
      }
    }
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  /** Connected, and every subscription made so far is confirmed by the broker. */
  public boolean isReady() {
    return client.isConnected() && subscribed;
  }

  public String clientId() {
    return settings.clientId();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connector.interrupt();
    try {
      if (client.isConnected()) {
        if (settings.availabilityTopic() != null) {
          client.publish(settings.availabilityTopic(), bytes(Topics.STOPPED), 1, true)
              .waitForCompletion(2_000);
        }
        client.disconnect(2_000).waitForCompletion(3_000);
      }
    } catch (MqttException e) {
      LOG.fine("disconnect: " + describe(e));
    }
    worker.shutdown();
    try {
      worker.awaitTermination(2, TimeUnit.SECONDS);
      client.close(true);
    } catch (MqttException | InterruptedException e) {
      LOG.log(Level.FINE, "close: {0}", e.toString());
    }
  }

  /** A short, readable reason for a client failure ("not authorised"), not a stack trace. */
  public static String describe(Throwable e) {
    if (e == null) {
      return "unknown reason";
    }
    String tls = describeTls(e);
    if (tls != null) {
      return tls;
    }
    if (e instanceof MqttException m) {
      switch (m.getReasonCode()) {
        case MqttException.REASON_CODE_NOT_AUTHORIZED:
          return "not authorised";
        case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
          return "bad user name or password";
        case MqttException.REASON_CODE_CONNECTION_LOST:
          return "connection lost" + (m.getCause() != null ? ": " + m.getCause().getMessage() : "");
        case MqttException.REASON_CODE_SERVER_CONNECT_ERROR:
          return "broker unreachable"
              + (m.getCause() != null ? ": " + m.getCause().getMessage() : "");
        case MqttException.REASON_CODE_CLIENT_TIMEOUT:
          return "timed out waiting for the broker";
        default:
          break;
      }
    }
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }

  /** A TLS failure anywhere in the cause chain, said in the user's terms; null when there is none. */
  private static String describeTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        String all = t.toString();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
          all += " / " + c;
        }
        if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
          return "TLS refused: the broker's certificate is not signed by the trusted CA (is the configured "
              + "broker CA this installation's?): " + t.getMessage();
        }
        if (all.contains("No subject alternative") || all.contains("No name matching")) {
          return "TLS refused: the broker's certificate does not name the host in the broker URL: " + t.getMessage();
        }
        return "TLS handshake failed: " + t.getMessage();
      }
    }
    return null;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
