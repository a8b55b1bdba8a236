package org.mecam.servicekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Identity and data location of one service ({@code mecam.service.*}). */
@ConfigMapping(prefix = "mecam.service")
public interface ServiceConfig {
  /** Short name used in topics and logs: {@code uploader}, {@code notifier} or {@code web-ui}. */
  String name();

  /** Where the service keeps its database and files; owned by this service alone. */
  @WithDefault("data")
  Path dataDir();

  /**
   * Whether {@code /api/...} needs the service token ({@link ServiceApiGuard}); default false (the web UI
   * has its own authentication), set true by the uploader and the notifier.
   */
  @WithDefault("false")
  boolean apiGuard();

  /**
   * File (mode 0600) with the service token that opens {@code /api/...} when {@link #apiGuard()} is on;
   * created with a random token when absent. Default: {@code <data-dir>/api.token}.
   */
  Optional<Path> apiTokenFile();
}
