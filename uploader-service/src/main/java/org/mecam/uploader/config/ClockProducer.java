package org.mecam.uploader.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Produces the one clock every time-dependent piece of the uploader reads. */
public class ClockProducer {
  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
