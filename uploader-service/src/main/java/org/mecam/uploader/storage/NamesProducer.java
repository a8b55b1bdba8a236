package org.mecam.uploader.storage;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.mecam.servicekit.ServiceConfig;

/** Produces the one {@link OpaqueNames} (key in {@code <data-dir>/secrets/name-key}) all backends share. */
public class NamesProducer {
  @Produces
  @Singleton
  OpaqueNames names(ServiceConfig service) {
    try {
      return OpaqueNames.load(service.dataDir().resolve("secrets").resolve("name-key"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the name key in " + service.dataDir(), e);
    }
  }
}
