package org.mecam.webui.mqtt;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.mecam.mqtt.PahoTransport;
import org.mecam.servicekit.BrokerConnection;

/**
 * Keeps {@code /q/health/ready} DOWN until the broker has confirmed every subscription, so a test or
 * script that waits for readiness cannot publish an event before the web UI listens for it.
 */
@Readiness
@ApplicationScoped
public class SubscriptionReadiness implements HealthCheck {
  private final BrokerConnection broker;

  public SubscriptionReadiness(BrokerConnection broker) {
    this.broker = broker;
  }

  @Override
  public HealthCheckResponse call() {
    boolean ready = broker.transport() instanceof PahoTransport paho ? paho.isReady() : broker.isConnected();
    return HealthCheckResponse.named("mqtt-subscriptions").status(ready).build();
  }
}
