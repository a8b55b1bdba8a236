package org.mecam.bench.notifier;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.mecam.mqtt.NoDelaySocketFactory;

/**
 * The benchmark's own Paho client for timed publishes, optionally with TCP_NODELAY. Paho leaves
 * Nagle's algorithm on: when a client acknowledges a received QoS 1 message (PUBACK) and then
 * publishes again, the second small write waits until the broker's TCP stack acknowledges the first,
 * which Linux delays by up to 40 ms — the 44 ms "broker hop" of earlier runs. The bench measures
 * the hop both ways and uses the TCP_NODELAY client for everything it times.
 */
final class BenchPublisher implements AutoCloseable {
  private final MqttClient client;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  BenchPublisher(String url, boolean noDelay) throws MqttException {
    client = new MqttClient(url, "bench-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    o.setMaxInflight(1000);
    if (noDelay) {
      o.setSocketFactory(new NoDelaySocketFactory());
    }
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(topic);
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
    client.connect(o);
  }

  void subscribe(String topic) throws MqttException {
    client.subscribe(topic, 1);
  }

  /** QoS 1 publish; returns when the broker acknowledged it. */
  void publish(String topic, byte[] payload) throws MqttException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    client.publish(topic, m);
  }

  BlockingQueue<String> received() {
    return received;
  }

  @Override
  public void close() throws MqttException {
    client.disconnect();
    client.close();
  }

  /** Plain sockets with TCP_NODELAY set before connecting. */
}
