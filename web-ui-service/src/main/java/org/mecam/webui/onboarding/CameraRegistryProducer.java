package org.mecam.webui.onboarding;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.mecam.cameras.CameraRegistry;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.webui.config.WebUiConfig;

/** The one camera registry of the web UI, at {@code mecam.webui.cameras-file} (default {@code <data-dir>/cameras.json}). */
@ApplicationScoped
public class CameraRegistryProducer {
  /** A singleton, not a client proxy: CameraRegistry is a final class from a plain library. */
  @Produces
  @jakarta.inject.Singleton
  CameraRegistry registry(WebUiConfig config, ServiceConfig service) {
    return new CameraRegistry(config.camerasFile().orElse(service.dataDir().resolve("cameras.json")));
  }
}
