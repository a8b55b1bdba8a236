package org.mecam.webui.domain;

import java.time.Instant;

/** Filter for the event list: camera (or all), time window on the start time, and a row limit. */
public record EventQuery(String camera, Instant from, Instant to, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
}
