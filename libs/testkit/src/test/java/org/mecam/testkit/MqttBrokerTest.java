package org.mecam.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proves the test kit's broker does what tests across the project rely on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MqttBrokerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void deliversPublishedMessagesToSubscribers() {
    try (MqttBroker broker = MqttBroker.builder().start();
        MqttTestClient sub = MqttTestClient.connect(broker.url(), null, null);
        MqttTestClient pub = MqttTestClient.connect(broker.url(), null, null)) {
      assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
      BlockingQueue<MqttTestClient.Received> queue = sub.subscribe("mecam/v1/cameras/+/events");

      pub.publish("mecam/v1/cameras/hall/events", "{\"n\":1}", 1, false);

      await().atMost(WAIT).until(() -> !queue.isEmpty());
      assertThat(queue.peek())
          .isEqualTo(new MqttTestClient.Received("mecam/v1/cameras/hall/events", "{\"n\":1}", false));
      assertThat(sub.await("mecam/v1/cameras/hall/#", WAIT).payload()).isEqualTo("{\"n\":1}");
    }
  }

  @Test
  void keepsQueuedQos1MessagesOfAPersistentSessionAcrossKillAndRestart() {
    try (MqttBroker broker = MqttBroker.builder().start()) {
      int port = broker.port();
      try (MqttTestClient away = MqttTestClient.connect(broker.url(), "uploader-1", null, null, false)) {
        away.subscribe("mecam/v1/cameras/+/media");
      }
      try (MqttTestClient pub = MqttTestClient.connect(broker.url(), null, null)) {
        pub.publish("mecam/v1/cameras/hall/media", "clip-1", 1, false);
      }
      broker.awaitAutosave();

      broker.kill();
      assertThat(MqttTestClient.tryConnect(broker.url(), null, null)).isNotZero();
      broker.restart();

      assertThat(broker.port()).isEqualTo(port);
      try (MqttTestClient back = MqttTestClient.connect(broker.url(), "uploader-1", null, null, false)) {
        assertThat(back.await("mecam/v1/cameras/hall/media", WAIT).payload()).isEqualTo("clip-1");
      }
    }
  }

  @Test
  void refusesAnonymousClientsAndWrongPasswordsWhenAnonymousIsOff() {
    try (MqttBroker broker =
        MqttBroker.builder().allowAnonymous(false).user("svc-test", "s3cret pass").start()) {
      assertThat(MqttTestClient.tryConnect(broker.url(), null, null)).isEqualTo(5);
      assertThat(MqttTestClient.tryConnect(broker.url(), "svc-test", "wrong")).isIn(4, 5);
      assertThat(MqttTestClient.tryConnect(broker.url(), "svc-test", "s3cret pass")).isZero();
    }
  }

  @Test
  void stopAndRestartKeepRetainedMessages() {
    try (MqttBroker broker = MqttBroker.builder().start()) {
      try (MqttTestClient pub = MqttTestClient.connect(broker.url(), null, null)) {
        pub.publish("mecam/v1/cameras/hall/availability", "online", 1, true);
      }
      broker.stop();
      broker.restart();
      try (MqttTestClient sub = MqttTestClient.connect(broker.url(), null, null)) {
        sub.subscribe("mecam/v1/cameras/+/availability");
        MqttTestClient.Received r = sub.await("mecam/v1/cameras/hall/availability", WAIT);
        assertThat(r.payload()).isEqualTo("online");
        assertThat(r.retained()).isTrue();
      }
    }
  }

  @Test
  void logsWhichBrokerRunsAndWritesItsLog() {
    try (MqttBroker broker = MqttBroker.builder().start()) {
      if (broker.isRealMosquitto()) {
        await().atMost(WAIT).until(() -> java.nio.file.Files.readString(broker.logFile()).contains("mosquitto version"));
      }
    }
  }
}
