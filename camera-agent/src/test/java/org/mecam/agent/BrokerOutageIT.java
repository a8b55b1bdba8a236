package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.service.Agent;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * The broker is killed (kill -9) during motion and stays away for 30 s while the camera keeps
 * recording: afterwards every motion event and media-ready message arrives, in order per event, and
 * none twice by id.
 */
class BrokerOutageIT {
  private static final String CAM = "cam-outage";
  private static final String SUBSCRIBER = "outage-watcher";

  @TempDir
  Path dir;

  @Test
  @Timeout(150)
  void deliversEveryEventAndMediaOnceAfterAThirtySecondBrokerOutage() throws Exception {
    try (MqttBroker broker = MqttBroker.builder().start()) {
      String filter = "mecam/v1/cameras/" + CAM + "/+";
      // A persistent session, saved by the broker, so messages published while the watcher
      // reconnects after the outage wait for it.
      MqttTestClient before = MqttTestClient.connect(broker.url(), SUBSCRIBER, null, null, false);
      before.subscribe(filter);
      broker.awaitAutosave();
      int port = FreePort.find();
      AgentConfig cfg = AgentFixtures.config(dir, "--camera-id", CAM, "--source", "test:moving-box",
          "--mqtt-url", broker.url(), "--http-port", Integer.toString(port), "--post-roll", "1s", "--pre-roll", "1s");
      Agent agent = Agent.start(cfg, Clock.systemUTC());
      List<MqttTestClient.Received> received = new ArrayList<>();
      MqttTestClient after = null;
      try {
        before.await(Topics.cameraEvents(CAM), Duration.ofSeconds(30));
        // Motion is under way (the box moves for 3 s, the clip is still being recorded). The watcher
        // steps away first and the broker saves its state, so what the broker queues for the watcher is
        // on disk and nothing is in flight to it: a duplicate can then only come from the agent.
        before.close();
        received.addAll(before.received());
        broker.awaitAutosave();
        broker.kill();
        long outageEnds = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        await().atMost(Duration.ofSeconds(40)).until(() -> System.nanoTime() >= outageEnds);
        double startedDuringOutage = agent.metrics().value("mecam_agent_motion_events_total");
        assertThat(agent.outbox().size()).as("messages held while the broker is away").isGreaterThan(0);
        broker.restart();
        after = MqttTestClient.connect(broker.url(), SUBSCRIBER, null, null, false);
        after.subscribe(filter);
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.outbox().size() == 0
            && agent.metrics().value("mecam_agent_messages_confirmed_total") > 0);
        assertThat(startedDuringOutage).isGreaterThanOrEqualTo(3);
      } finally {
        agent.close();
      }
      MqttTestClient watcher = after;
      // The agent finished its last event on close; wait until that, too, has arrived.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        List<MqttTestClient.Received> all = new ArrayList<>(received);
        all.addAll(watcher.received());
        assertComplete(all);
      });
      watcher.close();
    }
  }

  /** Every event has start, end, snapshot and clip (updates between start and end); no message id twice. */
  private static void assertComplete(List<MqttTestClient.Received> all) throws Exception {
    Set<String> ids = new HashSet<>();
    Map<String, List<String>> byEvent = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (MqttTestClient.Received r : all) {
      byte[] bytes = r.payload().getBytes(StandardCharsets.UTF_8);
      if (r.topic().endsWith("/events")) {
        MotionEvent e = PayloadCodec.decode(r.topic(), bytes, MotionEvent.class);
        if (!ids.add(e.id())) {
          duplicates.add(e.id());
        }
        byEvent.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(e.type().name());
      } else if (r.topic().endsWith("/media")) {
        MediaReady m = PayloadCodec.decode(r.topic(), bytes, MediaReady.class);
        if (!ids.add(m.id())) {
          duplicates.add(m.id());
        }
        byEvent.computeIfAbsent(m.eventId(), k -> new ArrayList<>()).add(m.kind() == MediaKind.SNAPSHOT ? "SNAPSHOT" : "CLIP");
      }
    }
    assertThat(duplicates).as("message ids received twice").isEmpty();
    assertThat(byEvent.size()).as("events").isGreaterThanOrEqualTo(4);
    for (Map.Entry<String, List<String>> e : byEvent.entrySet()) {
      List<String> seq = e.getValue();
      assertThat(seq.stream().filter(t -> !t.equals("UPDATE")).toList()).as("messages of event " + e.getKey())
          .containsExactly("START", "SNAPSHOT", "END", "CLIP");
      // Updates (motion going on) come after the start and before the end.
      for (int i = 0; i < seq.size(); i++) {
        if (seq.get(i).equals("UPDATE")) {
          assertThat(i).as("update of event " + e.getKey()).isGreaterThan(seq.indexOf("START"))
              .isLessThan(seq.indexOf("END"));
        }
      }
    }
  }
}
