package org.mecam.servicekit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.Set;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttSettings;
import org.mecam.mqtt.MqttTransport;
import org.mecam.mqtt.PahoTransport;
import org.mecam.mqtt.ValidatingSubscriber;

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

  public BrokerConnection(MqttConfig mqtt, ServiceConfig service, MeterRegistry registry) {
    this.service = service.name();
    String clientId = mqtt.clientId().orElse("mecam-" + service.name());
    MqttSettings.Builder b = MqttSettings.builder(mqtt.url(), clientId)
        .availabilityTopic(Topics.serviceAvailability(service.name()))
        .persistenceDir(service.dataDir().resolve("mqtt"));
    if (mqtt.username().isPresent()) {
      b.credentials(mqtt.username().get(), password(mqtt));
    }
    this.transport = PahoTransport.start(b.build());
    this.subscriber = new ValidatingSubscriber(transport, service.name(), Clock.systemUTC());
    registry.gauge("mecam_broker_connected", transport, t -> t.isConnected() ? 1 : 0);
    Log.infof("service %s connecting to %s as %s", service.name(), mqtt.url(),
        mqtt.username().orElse("(anonymous)"));
  }

  private static char[] password(MqttConfig mqtt) {
    if (mqtt.passwordFile().isPresent()) {
      Path file = mqtt.passwordFile().get();
      try {
        refuseIfOthersCanRead(file);
        return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read MQTT password file " + file + ": " + e.getMessage());
      }
    }
    return mqtt.password().map(String::toCharArray).orElse(null);
  }

  private static void refuseIfOthersCanRead(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IllegalStateException("MQTT password file " + file
            + " is readable by others; chmod 600 (or 640 for a group) it");
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (e.g. a Docker secret on some hosts): nothing to check.
    }
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
  }
}
