package org.mecam.agent.service;

import java.time.Clock;
import java.time.Instant;

/**
 * Maps the media timeline (microseconds, continuous across file loops) to wall-clock time. Anchored
 * at the first packet; for live sources it re-anchors when the two drift apart by more than two
 * seconds (camera clocks wander), files keep their own pace so clip spans match the media.
 */
public final class Timeline {
  private static final long MAX_DRIFT_US = 2_000_000;

  private final Clock clock;
  private final boolean live;
  private Instant anchorWall;
  private long anchorUs;

  public Timeline(Clock clock, boolean live) {
    this.clock = clock;
    this.live = live;
  }

  /** Called for every packet as it arrives. */
  public void observe(long tUs) {
    Instant now = clock.instant();
    if (anchorWall == null) {
      anchorWall = now;
      anchorUs = tUs;
      return;
    }
    if (live) {
      long driftUs = java.time.Duration.between(wall(tUs), now).toNanos() / 1000;
      if (Math.abs(driftUs) > MAX_DRIFT_US) {
        anchorWall = now;
        anchorUs = tUs;
      }
    }
  }

  /** The inverse of {@link #wall(long)}: the media time standing for {@code wall}. */
  public long us(Instant wall) {
    if (anchorWall == null) {
      return Long.MIN_VALUE;
    }
    return anchorUs + java.time.Duration.between(anchorWall, wall).toNanos() / 1000;
  }

  public Instant wall(long tUs) {
    if (anchorWall == null) {
      return clock.instant();
    }
    return anchorWall.plusNanos((tUs - anchorUs) * 1000);
  }
}
