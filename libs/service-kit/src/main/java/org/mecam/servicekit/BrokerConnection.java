package org.mecam.servicekit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttSettings;
import org.mecam.mqtt.MqttTransport;
import org.mecam.mqtt.PahoTransport;
import org.mecam.mqtt.ValidatingSubscriber;
import org.mecam.secrets.SecretFiles;

/**
 * The service's one broker connection: created from {@link MqttConfig} with a persistent session,
 * a retained availability topic with Last Will, and a {@link ValidatingSubscriber} that
 * dead-letters what fails validation.
 */
@Startup
@ApplicationScoped
public class BrokerConnection {
  private final PahoTransport transport;
  private final ValidatingSubscriber subscriber;
  private final String service;
  private final MeterRegistry registry;
  private final Gauge connectedGauge;

  public BrokerConnection(MqttConfig mqtt, ServiceConfig service, MeterRegistry registry) {
    this.service = service.name();
    String clientId = mqtt.clientId().orElse("mecam-" + service.name());
    MqttSettings.Builder b = MqttSettings.builder(mqtt.url(), clientId)
        .availabilityTopic(Topics.serviceAvailability(service.name()))
        .persistenceDir(service.dataDir().resolve("mqtt"));
    if (mqtt.username().isPresent()) {
      b.credentials(mqtt.username().get(), password(mqtt));
    }
    mqtt.caFile().ifPresent(b::caFile);
    this.transport = PahoTransport.start(b.build());
    this.subscriber = new ValidatingSubscriber(transport, service.name(), Clock.systemUTC());
    this.registry = registry;
    this.connectedGauge = Gauge.builder("mecam_broker_connected", transport, t -> t.isConnected() ? 1 : 0)
        .description("1 while the broker connection is up").register(registry);
    Log.infof("service %s connecting to %s as %s", service.name(), mqtt.url(),
        mqtt.username().orElse("(anonymous)"));
  }

  private static char[] password(MqttConfig mqtt) {
    if (mqtt.passwordFile().isPresent()) {
      // Group-readable is allowed: compose bind-mounts the file for a container user in its group.
      return SecretFiles.read(mqtt.passwordFile().get(), "MQTT password", SecretFiles.Access.GROUP_READ)
          .toCharArray();
    }
    return mqtt.password().map(String::toCharArray).orElse(null);
  }

  public MqttTransport transport() {
    return transport;
  }

  public ValidatingSubscriber subscriber() {
    return subscriber;
  }

  /** Connected and subscribed: what readiness reports. */
  public boolean isConnected() {
    return transport.isReady();
  }

  public String service() {
    return service;
  }

  void stop(@Observes @Priority(10) ShutdownEvent event) {
    Log.infof("service %s stopping; publishing availability 'stopped'", service);
    transport.close();
    // Quarkus' registry outlives the application in a test JVM that restarts it: a meter left behind
    // would keep reporting this (closed) connection instead of the next instance's.
    registry.remove(connectedGauge);
  }
}
