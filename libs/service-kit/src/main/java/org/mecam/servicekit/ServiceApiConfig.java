package org.mecam.servicekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Whether and how a service's HTTP endpoints need the service token ({@code mecam.api.*}, {@link ServiceApiGuard}). */
@ConfigMapping(prefix = "mecam.api")
public interface ServiceApiConfig {
  /**
   * Whether every path but health, metrics and {@code /internal/} needs the service token; default
   * false (the web UI has its own authentication), set true by the uploader and the notifier.
   */
  @WithDefault("false")
  boolean guard();

  /**
   * File (mode 0600) with the service token when {@link #guard()} is on; created with a random token
   * when absent. Default: {@code <mecam.service.data-dir>/api.token}.
   */
  Optional<Path> tokenFile();
}
