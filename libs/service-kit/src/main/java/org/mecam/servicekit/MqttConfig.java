package org.mecam.servicekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** How a service reaches the broker ({@code mecam.mqtt.*}; env {@code MECAM_MQTT_*}). */
@ConfigMapping(prefix = "mecam.mqtt")
public interface MqttConfig {
  /** Broker URL, {@code tcp://host:port} or {@code ssl://host:port} (TLS, host name verified). */
  @WithDefault("tcp://localhost:1883")
  String url();

  /** Fixed client id: with a persistent session it is what lets the broker keep undelivered messages. */
  Optional<String> clientId();

  /** This service's own broker user, e.g. {@code svc-uploader}. */
  Optional<String> username();

  /** File holding the password (mode 0600), e.g. a compose secret; preferred over {@link #password}. */
  Optional<Path> passwordFile();

  /** The password itself; for development only, since it ends up in the environment. */
  Optional<String> password();

  /**
   * PEM file of the CA that signed the broker's certificate (env {@code MECAM_MQTT_CA_FILE}); with an
   * {@code ssl://} URL only this CA is trusted. No default: without it an {@code ssl://} broker is
   * checked against the JDK's CAs. Refused with a {@code tcp://} URL (the link would not be encrypted).
   */
  Optional<Path> caFile();

  /** Start without waiting for the broker; readiness stays DOWN until connected. */
  @WithDefault("true")
  boolean enabled();
}
