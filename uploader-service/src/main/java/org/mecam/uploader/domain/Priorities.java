package org.mecam.uploader.domain;

import org.mecam.events.MediaKind;

/**
 * The queue's priority levels (lower goes first): 1–3 emergency, 4–6 normal, 7–10 low. A snapshot is
 * emergency (2), a clip normal (5), and a clip held for a non-immediate schedule low (7).
 */
public final class Priorities {
  public static final int SNAPSHOT = 2;
  public static final int CLIP = 5;
  public static final int SCHEDULED = 7;
  public static final int LOWEST = 10;

  private Priorities() {}

  public static int of(MediaKind kind, Schedule schedule) {
    if (kind == MediaKind.SNAPSHOT) {
      return SNAPSHOT;
    }
    return schedule == Schedule.IMMEDIATE ? CLIP : SCHEDULED;
  }

  /** The level's name in statistics. */
  public static String band(int priority) {
    return priority <= 3 ? "emergency" : priority <= 6 ? "normal" : "low";
  }
}
