package org.mecam.webui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * Real Mosquitto with the dynamic security plugin, as compose and ./run.sh run it: an admin client
 * made by {@code mosquitto_ctrl dynsec init}, and the web UI's own client {@code svc-web-ui} that may
 * use the dynsec control topics and the mecam topics. Mosquitto 2.0.11 delivers the dynsec response
 * only with an explicit {@code publishClientReceive} grant on it (the default "receive allowed" does
 * not cover {@code $CONTROL} topics; measured: without it no answer ever arrives). On top, TestSetup's owner, token and dirs.
 */
public class DynsecSetup implements QuarkusTestResourceLifecycleManager {
  public static final String PLUGIN = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";
  public static final String ADMIN = "dynsec-admin";
  public static final String ADMIN_PASSWORD = "dynsec-admin-password-for-tests";
  public static final String WEB_UI_PASSWORD = "svc-web-ui-password-for-tests";
  public static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBtestCA\n-----END CERTIFICATE-----\n";
  public static volatile MqttBroker broker;
  public static volatile Path sharedDir;

  private final TestSetup base = new TestSetup();

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Paths.get("target", "test-data", "dynsec-" + System.nanoTime()).toAbsolutePath();
      Files.createDirectories(dir);
      Path json = dir.resolve("dynamic-security.json");
      Process p = new ProcessBuilder("mosquitto_ctrl", "dynsec", "init", json.toString(), ADMIN, ADMIN_PASSWORD)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("mosquitto_ctrl dynsec init failed: " + out);
      }
      broker = MqttBroker.builder().allowAnonymous(false)
          .extraConfig("plugin " + PLUGIN + "\nplugin_opt_config_file " + json + "\n").start();
      try (MqttTestClient admin = MqttTestClient.connect(broker.url(), ADMIN, ADMIN_PASSWORD)) {
        admin.subscribe("$CONTROL/dynamic-security/v1/response");
        admin.publish("$CONTROL/dynamic-security/v1", """
            {"commands":[
             {"command":"createRole","rolename":"svc-web-ui"},
             {"command":"addRoleACL","rolename":"svc-web-ui","acltype":"publishClientSend","topic":"$CONTROL/dynamic-security/v1","allow":true},
             {"command":"addRoleACL","rolename":"svc-web-ui","acltype":"subscribePattern","topic":"$CONTROL/dynamic-security/v1/response","allow":true},
             {"command":"addRoleACL","rolename":"svc-web-ui","acltype":"publishClientReceive","topic":"$CONTROL/dynamic-security/v1/response","allow":true},
             {"command":"addRoleACL","rolename":"svc-web-ui","acltype":"subscribePattern","topic":"mecam/v1/#","allow":true},
             {"command":"addRoleACL","rolename":"svc-web-ui","acltype":"publishClientSend","topic":"mecam/v1/#","allow":true},
             {"command":"createClient","username":"svc-web-ui","password":"%s","roles":[{"rolename":"svc-web-ui"}]}
            ]}""".formatted(WEB_UI_PASSWORD), 1, false);
        String answer = admin.await("$CONTROL/dynamic-security/v1/response", Duration.ofSeconds(10)).payload();
        if (answer.contains("\"error\"")) {
          throw new IllegalStateException("dynsec set-up failed: " + answer);
        }
      }
      Path ca = dir.resolve("broker-ca.crt");
      Files.writeString(ca, CA_PEM);
      sharedDir = dir.resolve("shared");
      Files.createDirectories(sharedDir);
      Map<String, String> config = new HashMap<>(base.start());
      config.put("mecam.mqtt.url", broker.url());
      config.put("mecam.mqtt.username", "svc-web-ui");
      config.put("mecam.mqtt.password", WEB_UI_PASSWORD);
      config.put("mecam.webui.cameras-file", sharedDir.resolve("cameras.json").toString());
      config.put("mecam.webui.broker-ca-file", ca.toString());
      return config;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
    }
  }
}
