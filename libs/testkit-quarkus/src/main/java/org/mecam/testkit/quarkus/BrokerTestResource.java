package org.mecam.testkit.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.mecam.testkit.MqttBroker;

/**
 * Starts a real Mosquitto (from the test kit) for a {@code @QuarkusTest} and points the service's
 * {@code mecam.mqtt.url} at it; the broker is injected into fields of type {@link MqttBroker}
 * annotated {@link InjectBroker}.
 */
public class BrokerTestResource implements QuarkusTestResourceLifecycleManager {
  private MqttBroker broker;

  @Override
  public Map<String, String> start() {
    broker = MqttBroker.builder().allowAnonymous(true).start();
    return Map.of("mecam.mqtt.url", broker.url());
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(broker,
        new TestInjector.AnnotatedAndMatchesType(InjectBroker.class, MqttBroker.class));
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
    }
  }
}
