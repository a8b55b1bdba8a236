package org.mecam.uploader.storage;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.mecam.servicekit.ServiceConfig;

/** Produces the one {@link OpaqueNames} (key in {@code <data-dir>/secrets/name-key}) all backends share. */
public class NamesProducer {
  @Produces
  @Singleton
  OpaqueNames names(ServiceConfig service) {
    return OpaqueNames.load(service.dataDir().resolve("secrets").resolve("name-key"));
  }
}
