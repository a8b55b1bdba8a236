package org.mecam.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.mecam.cameras.CameraBrokerAcl;

/**
 * Gives a camera its broker credential at runtime the way the web UI does: as {@code svc-web-ui},
 * through the dynamic-security plugin's {@code $CONTROL/dynamic-security/v1} topic, with the role
 * {@code camera-<id>} built from {@link CameraBrokerAcl}. The launcher uses it for its demo camera.
 */
final class DynsecCameras {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DynsecCameras() {}

  /** (Re)creates camera {@code id} with {@code password}: any old client and role of that name go first. */
  static void register(String brokerUrl, String webUiPassword, String id, String password) throws IOException {
    BlockingQueue<String> responses = new ArrayBlockingQueue<>(16);
    try {
      MqttClient c = new MqttClient(brokerUrl, "mecam-launcher-" + UUID.randomUUID(), new MemoryPersistence());
      try {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setUserName(ServiceBrokerAcl.WEB_UI);
        o.setPassword(webUiPassword.toCharArray());
        c.connect(o);
        c.subscribe(ServiceBrokerAcl.DYNSEC_RESPONSE, 1,
            (topic, m) -> responses.offer(new String(m.getPayload(), StandardCharsets.UTF_8)));
        // Idempotent across runs: remove what a previous run made (errors here just mean "absent").
        send(c, responses, command("deleteClient").put("username", id), false);
        send(c, responses, command("deleteRole").put("rolename", CameraBrokerAcl.roleName(id)), false);
        ObjectNode role = command("createRole").put("rolename", CameraBrokerAcl.roleName(id));
        ArrayNode acls = role.putArray("acls");
        for (CameraBrokerAcl.Entry e : CameraBrokerAcl.entriesFor(id)) {
          for (String type : e.action().dynsecAclTypes()) {
            acls.addObject().put("acltype", type).put("topic", e.topic()).put("allow", true);
          }
        }
        send(c, responses, role, true);
        ObjectNode client = command("createClient").put("username", id).put("password", password);
        client.putArray("roles").addObject().put("rolename", CameraBrokerAcl.roleName(id));
        send(c, responses, client, true);
        c.disconnect();
      } finally {
        c.close();
      }
    } catch (MqttException e) {
      throw new IOException("cannot register camera " + id + " with the broker as " + ServiceBrokerAcl.WEB_UI
          + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode command(String name) {
    return JSON.createObjectNode().put("command", name);
  }

  private static void send(MqttClient c, BlockingQueue<String> responses, ObjectNode command, boolean mustSucceed)
      throws MqttException, IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("commands").add(command);
    MqttMessage m = new MqttMessage(JSON.writeValueAsBytes(body));
    m.setQos(1);
    c.publish(ServiceBrokerAcl.DYNSEC_CONTROL, m);
    String answer;
    try {
      answer = responses.poll(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for the broker's dynsec answer");
    }
    if (answer == null) {
      throw new IOException("the broker did not answer " + command.get("command").asText() + " within 10 s"
          + " (is the dynamic-security plugin loaded?)");
    }
    JsonNode r = JSON.readTree(answer).path("responses").path(0);
    if (mustSucceed && r.has("error")) {
      throw new IOException("broker refused " + command.get("command").asText() + ": " + r.get("error").asText());
    }
  }
}
