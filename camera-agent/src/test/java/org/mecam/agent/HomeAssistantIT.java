package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.config.AgentVersion;
import org.mecam.agent.mqtt.HomeAssistantDiscovery;
import org.mecam.agent.service.Agent;
import org.mecam.events.HomeAssistantTopics;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttSettings;
import org.mecam.mqtt.PahoTransport;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * Plays Home Assistant against the agent over real Mosquitto with the project's ACL and the
 * {@code svc-homeassistant} credential: checks every discovery config against HA's documented MQTT
 * discovery schema (facts below, from home-assistant.io/integrations/{binary_sensor,camera,switch,sensor,
 * device_trigger}.mqtt and the abbreviation table of HA's mqtt/abbreviations.py), renders the configs'
 * templates on the agent's real payloads, arms and disarms with raw ON/OFF (HA before 2024.8) and through
 * the command template (2024.8+), sees discovery re-sent on {@code homeassistant/status}=online, maps
 * {@code stopped} to unavailable, and sees the device removed (empty retained configs), both by the
 * server (svc-web-ui) and by the agent's {@code --ha-remove}.
 */
class HomeAssistantIT {
  private static final String CAM = "cam-ha";
  private static final ObjectMapper JSON = new ObjectMapper();

  // ---- Schema facts from Home Assistant's MQTT documentation -------------------------------------
  /** Keys every MQTT entity platform accepts (MQTT_ENTITY_COMMON_SCHEMA + availability + discovery). */
  private static final Set<String> ENTITY_COMMON = Set.of("availability", "availability_mode",
      "availability_template", "availability_topic", "payload_available", "payload_not_available", "device",
      "enabled_by_default", "encoding", "entity_category", "entity_picture", "icon", "json_attributes_template",
      "json_attributes_topic", "name", "object_id", "default_entity_id", "unique_id", "qos", "platform");
  /** Per component: its own keys and which of them are required. */
  private static final Map<String, Set<String>> KEYS = Map.of(
      "binary_sensor", Set.of("state_topic", "device_class", "expire_after", "force_update", "off_delay",
          "payload_off", "payload_on", "value_template"),
      "camera", Set.of("topic", "image_encoding"),
      "switch", Set.of("command_topic", "command_template", "device_class", "optimistic", "payload_off",
          "payload_on", "retain", "state_off", "state_on", "state_topic", "value_template"),
      "sensor", Set.of("state_topic", "device_class", "expire_after", "force_update", "last_reset_value_template",
          "options", "suggested_display_precision", "state_class", "unit_of_measurement", "value_template"),
      "device_automation", Set.of("automation_type", "payload", "qos", "topic", "type", "subtype", "device",
          "value_template", "platform"));
  private static final Map<String, Set<String>> REQUIRED = Map.of(
      "binary_sensor", Set.of("state_topic"),
      "camera", Set.of("topic"),
      "switch", Set.of(),
      "sensor", Set.of("state_topic"),
      "device_automation", Set.of("automation_type", "topic", "type", "subtype", "device"));
  private static final Set<String> DEVICE_KEYS = Set.of("configuration_url", "connections", "hw_version",
      "identifiers", "manufacturer", "model", "model_id", "name", "serial_number", "suggested_area", "sw_version",
      "via_device");
  private static final Set<String> AVAILABILITY_KEYS = Set.of("topic", "payload_available",
      "payload_not_available", "value_template");
  /** HA's abbreviations (the ones for keys any of these components accept). */
  private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
      Map.entry("avty", "availability"), Map.entry("avty_mode", "availability_mode"),
      Map.entry("avty_t", "availability_topic"), Map.entry("avty_tpl", "availability_template"),
      Map.entry("atype", "automation_type"), Map.entry("cmd_t", "command_topic"),
      Map.entry("cmd_tpl", "command_template"), Map.entry("dev", "device"), Map.entry("dev_cla", "device_class"),
      Map.entry("e", "encoding"), Map.entry("en", "enabled_by_default"), Map.entry("ent_cat", "entity_category"),
      Map.entry("ent_pic", "entity_picture"), Map.entry("exp_aft", "expire_after"),
      Map.entry("frc_upd", "force_update"), Map.entry("ic", "icon"), Map.entry("img_e", "image_encoding"),
      Map.entry("json_attr_t", "json_attributes_topic"), Map.entry("json_attr_tpl", "json_attributes_template"),
      Map.entry("lrst_val_tpl", "last_reset_value_template"), Map.entry("obj_id", "object_id"),
      Map.entry("off_dly", "off_delay"), Map.entry("opt", "optimistic"), Map.entry("ops", "options"),
      Map.entry("p", "platform"), Map.entry("pl", "payload"), Map.entry("pl_avail", "payload_available"),
      Map.entry("pl_not_avail", "payload_not_available"), Map.entry("pl_off", "payload_off"),
      Map.entry("pl_on", "payload_on"), Map.entry("ret", "retain"), Map.entry("stat_cla", "state_class"),
      Map.entry("stat_off", "state_off"), Map.entry("stat_on", "state_on"), Map.entry("stat_t", "state_topic"),
      Map.entry("stype", "subtype"), Map.entry("sug_dsp_prc", "suggested_display_precision"),
      Map.entry("t", "topic"), Map.entry("uniq_id", "unique_id"), Map.entry("unit_of_meas", "unit_of_measurement"),
      Map.entry("val_tpl", "value_template"));
  private static final Map<String, String> DEVICE_ABBREVIATIONS = Map.of("cu", "configuration_url",
      "cns", "connections", "ids", "identifiers", "mf", "manufacturer", "mdl", "model", "sa", "suggested_area",
      "sw", "sw_version", "hw", "hw_version", "sn", "serial_number");
  // ------------------------------------------------------------------------------------------------

  @TempDir
  Path dir;

  private MqttBroker broker() throws Exception {
    String acl = Files.readString(Path.of("..", "mosquitto", "acl")) + "\nuser tester\ntopic readwrite #\n";
    return MqttBroker.builder().allowAnonymous(false).user(CAM, "cam-pw").user("svc-homeassistant", "ha-pw")
        .user("svc-web-ui", "web-pw").user("tester", "tester-pw").aclText(acl).start();
  }

  @Test
  @Timeout(180)
  void homeAssistantSeesAValidDeviceArmsItBothWaysAndLosesItOnRemoval() throws Exception {
    try (MqttBroker broker = broker();
         MqttTestClient ha = MqttTestClient.connect(broker.url(), "svc-homeassistant", "ha-pw");
         MqttTestClient tester = MqttTestClient.connect(broker.url(), "tester", "tester-pw");
         RawClient images = new RawClient(broker.url(), "svc-homeassistant", "ha-pw")) {
      // What HA subscribes to: discovery, and the topics the configs name.
      ha.subscribe("homeassistant/#");
      ha.subscribe(Topics.ALL_CAMERA_AVAILABILITY);
      ha.subscribe(Topics.ALL_CAMERA_STATE);
      ha.subscribe(Topics.ALL_CAMERA_EVENTS);
      images.subscribe(HomeAssistantTopics.snapshotImage("homeassistant", CAM));
      tester.subscribe(Topics.cameraDeadLetter(CAM));
      tester.subscribe(Topics.cameraEvents(CAM));

      Path pw = AgentFixtures.secretFile(dir, "mqtt.pw", "cam-pw");
      int port = FreePort.find();
      AgentConfig cfg = AgentFixtures.config(dir, "--camera-id", CAM, "--source", "test:moving-box",
          "--mqtt-url", broker.url(), "--mqtt-password-file", pw.toString(), "--http-port", Integer.toString(port),
          "--media-base-url", "http://127.0.0.1:" + port, "--post-roll", "1s", "--pre-roll", "1s",
          "--ha-discovery");
      Agent agent = Agent.start(cfg, Clock.systemUTC());
      Map<String, ObjectNode> configs = new HashMap<>();
      try {
        // 1. Every config is valid against HA's schema and they form one device.
        for (String c : HomeAssistantTopics.CONFIGS) {
          String topic = HomeAssistantTopics.config("homeassistant", CAM, c);
          MqttTestClient.Received r = ha.await(topic, Duration.ofSeconds(20));
          ObjectNode config = expand((ObjectNode) JSON.readTree(r.payload()));
          checkSchema(c.substring(0, c.indexOf('/')), config);
          configs.put(c, config);
        }
        Set<String> uniqueIds = new HashSet<>();
        for (var e : configs.entrySet()) {
          JsonNode device = e.getValue().get("device");
          assertThat(device.get("identifiers").get(0).asText()).as(e.getKey()).isEqualTo("mecam_" + CAM);
          assertThat(device.get("sw_version").asText()).isEqualTo(AgentVersion.version());
          if (!e.getKey().startsWith("device_automation/")) {
            assertThat(uniqueIds.add(e.getValue().get("unique_id").asText())).as("unique_id unique").isTrue();
          }
        }
        assertThat(uniqueIds).hasSize(HomeAssistantTopics.CONFIGS.size() - 2);

        // 2. Availability: HA renders the template on each payload the agent publishes.
        String avail = ha.await(Topics.cameraAvailability(CAM), Duration.ofSeconds(20)).payload();
        assertThat(avail).isEqualTo("online");
        for (ObjectNode config : configs.values()) {
          if (config.has("availability")) {
            assertThat(available(config, "online")).isTrue();
            assertThat(available(config, "offline")).isFalse();
            assertThat(available(config, "stopped")).isFalse();
          }
        }

        // 3. Motion: binary sensor, device triggers and last-event sensor follow the events.
        MqttTestClient.Received start = ha.await(Topics.cameraEvents(CAM), Duration.ofSeconds(30));
        assertThat(render(configs, "binary_sensor/motion", start.payload())).isEqualTo("ON");
        assertThat(fires(configs.get("device_automation/motion_started"), start.payload())).isTrue();
        assertThat(fires(configs.get("device_automation/motion_ended"), start.payload())).isFalse();
        String startedAt = JSON.readTree(start.payload()).get("startedAt").asText();
        assertThat(render(configs, "sensor/last_event", start.payload())).isEqualTo(startedAt);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ha.received(Topics.cameraEvents(CAM))
            .stream().anyMatch(m -> m.payload().contains("\"type\":\"end\""))).isTrue());
        String end = ha.received(Topics.cameraEvents(CAM)).stream().filter(m -> m.payload().contains("\"type\":\"end\""))
            .findFirst().orElseThrow().payload();
        assertThat(render(configs, "binary_sensor/motion", end)).isEqualTo("OFF");
        assertThat(fires(configs.get("device_automation/motion_ended"), end)).isTrue();
        assertThat(render(configs, "sensor/last_event", end)).isEqualTo(startedAt);

        // 4. Camera entity: raw JPEG bytes, small enough for the broker, retained.
        byte[] image = images.await(Duration.ofSeconds(30));
        assertThat(image[0] & 0xFF).isEqualTo(0xFF);
        assertThat(image[1] & 0xFF).isEqualTo(0xD8);
        assertThat(image.length).isLessThanOrEqualTo(HomeAssistantDiscovery.MAX_IMAGE_BYTES);

        // 5. Sensors on the retained state.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
          String state = latest(ha, Topics.cameraState(CAM));
          assertThat(Double.parseDouble(render(configs, "sensor/fps", state))).isGreaterThan(0);
          assertThat(Long.parseLong(render(configs, "sensor/disk_free", state))).isGreaterThan(0);
          assertThat(render(configs, "sensor/detect_stream", state)).isEqualTo("main");
          assertThat(render(configs, "switch/armed", state)).isEqualTo("ON");
        });

        // 6. The switch: raw OFF (HA before 2024.8), then ON through the command template (2024.8+).
        ObjectNode sw = configs.get("switch/armed");
        String cmdTopic = sw.get("command_topic").asText();
        ha.publish(cmdTopic, sw.get("payload_off").asText(), 1, false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(render(configs, "switch/armed", latest(ha, Topics.cameraState(CAM)))).isEqualTo("OFF"));
        assertThat(agent.status().armed()).isFalse();
        String rendered = HaTemplate.render(sw.get("command_template").asText(), sw.get("payload_on").asText());
        ha.publish(cmdTopic, rendered, 1, false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(render(configs, "switch/armed", latest(ha, Topics.cameraState(CAM)))).isEqualTo("ON"));
        ha.publish(cmdTopic, HaTemplate.render(sw.get("command_template").asText(), "OFF"), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.status().armed());
        ha.publish(cmdTopic, "ON", 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().armed());
        assertThat(tester.received(Topics.cameraDeadLetter(CAM))).as("no command dead-lettered").isEmpty();

        // 7. The HA credential may not publish anything else (here: a forged event).
        String forged = "forged-" + UUID.randomUUID();
        ha.publish(Topics.cameraEvents(CAM), "{\"id\":\"" + forged + "\"}", 1, false);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
            tester.received(Topics.cameraEvents(CAM)).stream().noneMatch(m -> m.payload().contains(forged)));

        // 8. HA restarts: birth message -> every config arrives again.
        Map<String, Integer> before = counts(ha);
        ha.publish(HomeAssistantTopics.status("homeassistant"), "online", 1, false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          Map<String, Integer> now = counts(ha);
          for (String c : HomeAssistantTopics.CONFIGS) {
            String t = HomeAssistantTopics.config("homeassistant", CAM, c);
            assertThat(now.getOrDefault(t, 0)).as(t).isGreaterThan(before.getOrDefault(t, 0));
          }
        });
      } finally {
        agent.close();
      }

      // 9. A clean stop publishes "stopped", which the configs map to unavailable.
      await().atMost(Duration.ofSeconds(10)).until(() -> "stopped".equals(latest(ha, Topics.cameraAvailability(CAM))));
      assertThat(available(configs.get("switch/armed"), latest(ha, Topics.cameraAvailability(CAM)))).isFalse();

      // 10. The server removes the camera: svc-web-ui clears every retained topic; HA sees empty configs.
      try (MqttTestClient web = MqttTestClient.connect(broker.url(), "svc-web-ui", "web-pw")) {
        for (String t : HomeAssistantTopics.retained("homeassistant", CAM)) {
          web.publish(t, new byte[0], 1, true);
        }
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        for (String c : HomeAssistantTopics.CONFIGS) {
          String t = HomeAssistantTopics.config("homeassistant", CAM, c);
          assertThat(latest(ha, t)).as(t).isEmpty();
        }
      });
      assertNoRetained(broker);
    }
  }

  @Test
  @Timeout(60)
  void haRemoveClearsWhatTheCameraPublished() throws Exception {
    try (MqttBroker broker = broker();
         MqttTestClient ha = MqttTestClient.connect(broker.url(), "svc-homeassistant", "ha-pw")) {
      ha.subscribe("homeassistant/#");
      // The camera's own credential publishes discovery (as a running agent would) and a snapshot.
      MqttSettings settings = MqttSettings.builder(broker.url(), "cam-ha-test").credentials(CAM, "cam-pw".toCharArray())
          .build();
      try (PahoTransport cam = PahoTransport.start(settings)) {
        assertThat(cam.awaitConnected(Duration.ofSeconds(10))).isTrue();
        HomeAssistantDiscovery d = new HomeAssistantDiscovery("homeassistant", CAM, cam);
        d.publish();
        cam.publishConfirmed(d.snapshotImageTopic(), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}, 1, true,
            Duration.ofSeconds(5));
      }
      for (String t : HomeAssistantTopics.retained("homeassistant", CAM)) {
        assertThat(ha.await(t, Duration.ofSeconds(10)).payload()).isNotEmpty();
      }

      Path pw = AgentFixtures.secretFile(dir, "mqtt.pw", "cam-pw");
      Path token = AgentFixtures.secretFile(dir, "media.token", AgentFixtures.TOKEN);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = CameraAgent.run(new String[] {"--camera-id", CAM, "--source", "test:moving-box",
          "--media-token-file", token.toString(), "--mqtt-url", broker.url(), "--mqtt-password-file", pw.toString(),
          "--data-dir", dir.resolve("data").toString(), "--ha-remove"}, Map.of(), new PrintStream(out),
          new PrintStream(err));
      assertThat(code).as(err.toString()).isZero();
      for (String t : HomeAssistantTopics.retained("homeassistant", CAM)) {
        MqttTestClient.Received r = ha.await(t, Duration.ofSeconds(10));
        assertThat(r.payload()).as(t).isEmpty();
      }
      assertNoRetained(broker);
    }
  }

  /** A late subscriber gets no retained Home Assistant topic at all (empty retained = deleted). */
  private static void assertNoRetained(MqttBroker broker) {
    try (MqttTestClient late = MqttTestClient.connect(broker.url(), "svc-homeassistant", "ha-pw")) {
      late.subscribe("homeassistant/#");
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> late.received().isEmpty());
    }
  }

  /** Expands HA's abbreviations (top level, device, availability entries) and rejects duplicates. */
  private static ObjectNode expand(ObjectNode in) {
    ObjectNode out = JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = ABBREVIATIONS.getOrDefault(e.getKey(), e.getKey());
      JsonNode v = e.getValue();
      if (key.equals("device")) {
        ObjectNode dev = JSON.createObjectNode();
        v.fields().forEachRemaining(d -> dev.set(DEVICE_ABBREVIATIONS.getOrDefault(d.getKey(), d.getKey()), d.getValue()));
        v = dev;
      } else if (key.equals("availability")) {
        var arr = JSON.createArrayNode();
        for (JsonNode a : v) {
          ObjectNode entry = JSON.createObjectNode();
          a.fields().forEachRemaining(f -> entry.set(ABBREVIATIONS.getOrDefault(f.getKey(), f.getKey()), f.getValue()));
          arr.add(entry);
        }
        v = arr;
      }
      assertThat(out.has(key)).as("key given twice (full and abbreviated): " + key).isFalse();
      out.set(key, v);
    }
    return out;
  }

  private static void checkSchema(String component, ObjectNode config) {
    Set<String> allowed = new HashSet<>(KEYS.get(component));
    if (!component.equals("device_automation")) {
      allowed.addAll(ENTITY_COMMON);
    }
    List<String> names = new ArrayList<>();
    config.fieldNames().forEachRemaining(names::add);
    assertThat(allowed).as(component + " keys").containsAll(names);
    assertThat(names).as(component + " required keys").containsAll(REQUIRED.get(component));
    if (component.equals("device_automation")) {
      assertThat(config.get("automation_type").asText()).isEqualTo("trigger");
    } else {
      // unique_id and a device (identifiers as a list) tie the entity to one device in HA's registry.
      assertThat(config.get("unique_id").asText()).isNotBlank();
      assertThat(config.has("availability_topic")).as("availability and availability_topic are exclusive")
          .isFalse();
      JsonNode avty = config.get("availability");
      assertThat(avty.isArray()).isTrue();
      for (JsonNode a : avty) {
        List<String> ak = new ArrayList<>();
        a.fieldNames().forEachRemaining(ak::add);
        assertThat(AVAILABILITY_KEYS).containsAll(ak);
        assertThat(a.get("topic").asText()).isEqualTo(Topics.cameraAvailability(CAM));
        assertThat(a.get("payload_available").asText()).isEqualTo("online");
        assertThat(a.get("payload_not_available").asText()).isEqualTo("offline");
      }
    }
    JsonNode device = config.get("device");
    assertThat(device).as(component + " device").isNotNull();
    List<String> dk = new ArrayList<>();
    device.fieldNames().forEachRemaining(dk::add);
    assertThat(DEVICE_KEYS).containsAll(dk);
    assertThat(device.get("identifiers").isArray()).isTrue();
    for (String topicKey : List.of("state_topic", "topic", "command_topic")) {
      if (config.has(topicKey)) {
        assertThat(config.get(topicKey).asText()).doesNotContain("+").doesNotContain("#");
      }
    }
  }

  /** What HA shows for an entity's availability after {@code payload} arrives on its topic. */
  private static boolean available(ObjectNode config, String payload) {
    JsonNode a = config.get("availability").get(0);
    String v = a.has("value_template") ? HaTemplate.render(a.get("value_template").asText(), payload) : payload;
    if (v.equals(a.get("payload_available").asText())) {
      return true;
    }
    if (v.equals(a.get("payload_not_available").asText())) {
      return false;
    }
    throw new AssertionError("HA ignores availability payload '" + payload + "' (rendered '" + v
        + "'); the entity would keep its previous availability");
  }

  private static String render(Map<String, ObjectNode> configs, String which, String payload) {
    return HaTemplate.render(configs.get(which).get("value_template").asText(), payload);
  }

  private static boolean fires(ObjectNode trigger, String payload) {
    return HaTemplate.render(trigger.get("value_template").asText(), payload).equals(trigger.get("payload").asText());
  }

  private static String latest(MqttTestClient c, String topic) {
    List<MqttTestClient.Received> r = c.received(topic);
    return r.isEmpty() ? null : r.get(r.size() - 1).payload();
  }

  private static Map<String, Integer> counts(MqttTestClient c) {
    Map<String, Integer> m = new HashMap<>();
    for (MqttTestClient.Received r : c.received()) {
      m.merge(r.topic(), 1, Integer::sum);
    }
    return m;
  }

  /** A subscriber that keeps payloads as bytes (images). */
  private static final class RawClient implements AutoCloseable {
    private final MqttClient client;
    private final Map<String, byte[]> last = new ConcurrentHashMap<>();

    RawClient(String url, String user, String password) throws Exception {
      client = new MqttClient(url, "ha-images-" + UUID.randomUUID(), new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName(user);
      o.setPassword(password.toCharArray());
      client.connect(o);
    }

    void subscribe(String topic) throws Exception {
      client.subscribe(topic, 0, (t, m) -> {
        if (m.getPayload().length > 0) {
          last.put("image", m.getPayload());
        }
      });
    }

    byte[] await(Duration timeout) {
      org.awaitility.Awaitility.await().atMost(timeout).until(() -> last.containsKey("image"));
      return last.get("image");
    }

    @Override
    public void close() throws Exception {
      client.disconnect();
      client.close();
    }
  }
}
