package org.mecam.servicekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** How a service reaches the broker ({@code mecam.mqtt.*}; env {@code MECAM_MQTT_*}). */
@ConfigMapping(prefix = "mecam.mqtt")
public interface MqttConfig {
  /** Broker URL, {@code tcp://host:port}. */
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

  /** Start without waiting for the broker; readiness stays DOWN until connected. */
  @WithDefault("true")
  boolean enabled();
}
