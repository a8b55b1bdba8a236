package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.service.Agent;
import org.mecam.events.ArmCommand;
import org.mecam.events.CameraState;
import org.mecam.events.DeadLetter;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.MediaStored;
import org.mecam.events.MotionEvent;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * The agent end to end against real Mosquitto with the project's ACL and its own credentials: from the
 * generated test scene to motion event, snapshot and clip; media served with the token and freed after
 * upload; arm/disarm reflected in retained state and events; availability online/stopped.
 */
class AgentIT {
  private static final String CAM = "cam-it";

  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void testSceneYieldsEventSnapshotAndClipThatAreServedFreedAndObeyArming() throws Exception {
    String acl = Files.readString(Path.of("..", "mosquitto", "acl")) + "\nuser tester\ntopic readwrite #\n";
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(false).user(CAM, "cam-pw")
        .user("tester", "tester-pw").aclText(acl).start();
         MqttTestClient client = MqttTestClient.connect(broker.url(), "tester", "tester-pw")) {
      client.subscribe("mecam/v1/cameras/" + CAM + "/#");
      client.subscribe("homeassistant/#");
      client.subscribe(Topics.cameraDeadLetter(CAM));
      int port = FreePort.find();
      Path pw = AgentFixtures.secretFile(dir, "mqtt.pw", "cam-pw");
      AgentConfig cfg = AgentFixtures.config(dir, "--camera-id", CAM, "--source", "test:moving-box",
          "--mqtt-url", broker.url(), "--mqtt-password-file", pw.toString(), "--http-port", Integer.toString(port),
          "--media-base-url", "http://127.0.0.1:" + port, "--post-roll", "1s", "--pre-roll", "1s",
          "--ha-discovery");
      Agent agent = Agent.start(cfg, Clock.systemUTC());
      try {
        assertThat(client.await(Topics.cameraAvailability(CAM), Duration.ofSeconds(20)).payload()).isEqualTo("online");
        MotionEvent start = decode(client.await(Topics.cameraEvents(CAM), Duration.ofSeconds(30)), MotionEvent.class);
        assertThat(start.type()).isEqualTo(MotionEvent.Phase.START);
        assertThat(start.armed()).isTrue();
        MediaReady snapshot = decode(client.await(Topics.cameraMedia(CAM), Duration.ofSeconds(20)), MediaReady.class);
        MotionEvent end = nextStartOrEnd(client, Duration.ofSeconds(20));
        MediaReady clip = decode(client.await(Topics.cameraMedia(CAM), Duration.ofSeconds(20)), MediaReady.class);
        assertThat(snapshot.kind()).isEqualTo(MediaKind.SNAPSHOT);
        assertThat(end.type()).isEqualTo(MotionEvent.Phase.END);
        assertThat(end.eventId()).isEqualTo(start.eventId());
        assertThat(clip.kind()).isEqualTo(MediaKind.CLIP);
        assertThat(clip.eventId()).isEqualTo(start.eventId());

        // Home Assistant discovery: motion sensor, snapshot camera and armed switch, tied to availability.
        String motionConfig = client.await("homeassistant/binary_sensor/" + CAM + "/motion/config",
            Duration.ofSeconds(10)).payload();
        assertThat(motionConfig).contains("\"availability\":[{\"topic\":\"mecam/v1/cameras/" + CAM + "/availability\"")
            .contains("\"device_class\":\"motion\"");
        assertThat(client.await("homeassistant/switch/" + CAM + "/armed/config", Duration.ofSeconds(10)).payload())
            .contains("\"command_topic\":\"mecam/v1/cameras/" + CAM + "/set/armed\"");
        client.await("homeassistant/camera/" + CAM + "/snapshot/config", Duration.ofSeconds(10));
        assertThat(client.await("homeassistant/camera/" + CAM + "/snapshot/image", Duration.ofSeconds(10)).payload())
            .isNotEmpty();

        // The uploader's view: fetch by URL with the token, verify size and checksum.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(clip.url()))
            .header("Authorization", "Bearer " + AgentFixtures.TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).hasSize((int) clip.size());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got.body())))
            .isEqualTo(clip.sha256());
        assertThat(http.send(HttpRequest.newBuilder(URI.create(snapshot.url())).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);

        // Uploaded → the local copy goes; staged only → it stays.
        Path clipFile = agent.media().root().resolve(clip.path());
        Path snapFile = agent.media().root().resolve(snapshot.path());
        client.publish(Topics.mediaStored(CAM), json(stored(snapshot, MediaStored.Stage.STAGED)), 1, false);
        client.publish(Topics.mediaStored(CAM), json(stored(clip, MediaStored.Stage.UPLOADED)), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(clipFile));
        assertThat(snapFile).exists();

        // Disarm: retained state says so, and the next event is marked armed=false.
        client.publish(Topics.cameraSetArmed(CAM), json(new ArmCommand(Payload.SCHEMA, Ids.newId(), CAM,
            Instant.now(), false, "test")), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.status().armed());
        try (MqttTestClient late = MqttTestClient.connect(broker.url(), "tester", "tester-pw")) {
          late.subscribe(Topics.cameraState(CAM));
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MqttTestClient.Received r = late.received(Topics.cameraState(CAM)).get(0);
            assertThat(r.retained()).isTrue();
            assertThat(decode(r, CameraState.class).armed()).isFalse();
          });
        }
        MotionEvent next = nextStartOrEnd(client, Duration.ofSeconds(30));
        assertThat(next.eventId()).isNotEqualTo(start.eventId());
        assertThat(next.armed()).isFalse();

        // A command stamped ten minutes in our future: this camera's clock is behind.
        client.publish(Topics.cameraSetArmed(CAM), json(new ArmCommand(Payload.SCHEMA, Ids.newId(), CAM,
            Instant.now().plusSeconds(600), false, "test")), 1, false);
        MqttTestClient.Received skew = client.await(Topics.cameraAlerts(CAM), Duration.ofSeconds(10));
        assertThat(skew.payload()).contains("\"kind\":\"clock-skew\"").contains("\"active\":true");

        // An invalid command changes nothing, is dead-lettered with the reason on the camera's own
        // dead-letter topic (which the project ACL lets it write), and the agent keeps running.
        client.publish(Topics.cameraSetArmed(CAM), "{\"armed\":true}", 1, false);
        DeadLetter dead = decode(client.await(Topics.cameraDeadLetter(CAM), Duration.ofSeconds(10)), DeadLetter.class);
        assertThat(dead.service()).isEqualTo("camera-agent");
        assertThat(dead.topic()).isEqualTo(Topics.cameraSetArmed(CAM));
        assertThat(dead.reason()).isNotBlank();
        assertThat(dead.payloadPrefix()).isEqualTo("{\"armed\":true}");
        assertThat(agent.health().up()).isTrue();
        assertThat(agent.status().armed()).isFalse();
      } finally {
        agent.close();
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.received(
          Topics.cameraAvailability(CAM))).last().extracting(MqttTestClient.Received::payload).isEqualTo("stopped"));
    }
  }

  @Test
  @Timeout(60)
  void clockFarInThePastRaisesClockSkewAtStart() throws Exception {
    String acl = Files.readString(Path.of("..", "mosquitto", "acl")) + "\nuser tester\ntopic readwrite #\n";
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(false).user(CAM, "cam-pw")
        .user("tester", "tester-pw").aclText(acl).start();
         MqttTestClient client = MqttTestClient.connect(broker.url(), "tester", "tester-pw")) {
      client.subscribe(Topics.cameraAlerts(CAM));
      Path pw = AgentFixtures.secretFile(dir, "mqtt.pw", "cam-pw");
      AgentConfig cfg = AgentFixtures.config(dir, "--camera-id", CAM, "--source", "test:moving-box",
          "--mqtt-url", broker.url(), "--mqtt-password-file", pw.toString(), "--http-port", "0");
      // A Pi without a real-time clock, before NTP has set it.
      Clock unset = Clock.fixed(Instant.parse("1970-01-01T00:01:00Z"), java.time.ZoneOffset.UTC);
      try (Agent agent = Agent.start(cfg, unset)) {
        String alert = client.await(Topics.cameraAlerts(CAM), Duration.ofSeconds(20)).payload();
        assertThat(alert).contains("\"kind\":\"clock-skew\"").contains("\"active\":true").contains("NTP");
      }
    }
  }

  /** The next start or end message on the events topic (updates skipped). */
  private static MotionEvent nextStartOrEnd(MqttTestClient client, Duration timeout) throws Exception {
    while (true) {
      MotionEvent e = decode(client.await(Topics.cameraEvents(CAM), timeout), MotionEvent.class);
      if (e.type() != MotionEvent.Phase.UPDATE) {
        return e;
      }
    }
  }

  private static MediaStored stored(MediaReady m, MediaStored.Stage stage) {
    return new MediaStored(Payload.SCHEMA, Ids.newId(), CAM, Instant.now(), m.id(), m.eventId(), m.kind(), stage,
        "local", m.size(), m.sha256());
  }

  private static String json(Payload p) {
    return new String(PayloadCodec.encode(p), StandardCharsets.UTF_8);
  }

  static <T extends Payload> T decode(MqttTestClient.Received r, Class<T> type) throws Exception {
    return PayloadCodec.decode(r.topic(), r.payload().getBytes(StandardCharsets.UTF_8), type);
  }
}
