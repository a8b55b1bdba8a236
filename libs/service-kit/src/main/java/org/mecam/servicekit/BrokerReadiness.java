package org.mecam.servicekit;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Makes {@code /q/health/ready} report DOWN while the broker connection is down. */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {
  private final BrokerConnection broker;

  public BrokerReadiness(BrokerConnection broker) {
    this.broker = broker;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("mqtt-broker").status(broker.isConnected()).build();
  }
}
