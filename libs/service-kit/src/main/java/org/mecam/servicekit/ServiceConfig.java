package org.mecam.servicekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Identity and data location of one service ({@code mecam.service.*}). */
@ConfigMapping(prefix = "mecam.service")
public interface ServiceConfig {
  /** Short name used in topics and logs: {@code uploader}, {@code notifier} or {@code web-ui}. */
  String name();

  /** Where the service keeps its database and files; owned by this service alone. */
  @WithDefault("data")
  Path dataDir();
}
