package org.mecam.agent.detect;

/**
 * Turns per-frame motion results into events on the media timeline (microseconds): an event starts
 * only when motion lasted {@code minDuration} (so one noisy frame never starts one), ends
 * {@code postRoll} after the last motion, and is cut at {@code maxLength}. Pure logic: no clock, no I/O.
 */
public final class MotionTracker {

  /** What the caller must do after a frame. */
  public enum Action { NONE, START, END }

  private final long minDurationUs;
  private final long postRollUs;
  private final long maxLengthUs;
  private final long gapUs;
  private long candidateStartUs = -1;
  private long lastMotionUs = -1;
  private long startedUs = -1;
  private boolean active;

  /** {@code gapUs}: how long a pause in motion may be while it is still building up to minDuration. */
  public MotionTracker(long minDurationUs, long postRollUs, long maxLengthUs, long gapUs) {
    this.minDurationUs = minDurationUs;
    this.postRollUs = postRollUs;
    this.maxLengthUs = maxLengthUs;
    this.gapUs = gapUs;
  }

  public Action onFrame(long tUs, MotionResult r) {
    if (!active) {
      if (r.motion()) {
        if (candidateStartUs < 0 || tUs - lastMotionUs > gapUs) {
          candidateStartUs = tUs;
        }
        lastMotionUs = tUs;
        if (tUs - candidateStartUs >= minDurationUs) {
          active = true;
          startedUs = candidateStartUs;
          return Action.START;
        }
      } else if (candidateStartUs >= 0 && tUs - lastMotionUs > gapUs) {
        candidateStartUs = -1;
      }
      return Action.NONE;
    }
    if (r.motion()) {
      lastMotionUs = tUs;
    }
    if (tUs - lastMotionUs >= postRollUs || tUs - startedUs >= maxLengthUs) {
      active = false;
      candidateStartUs = -1;
      return Action.END;
    }
    return Action.NONE;
  }

  public boolean active() {
    return active;
  }

  /** When the current (or last) event's motion began. */
  public long startedUs() {
    return startedUs;
  }

  /** The last frame with motion. */
  public long lastMotionUs() {
    return lastMotionUs;
  }

  /** When motion began building up (before the event started), or -1. */
  public long candidateStartUs() {
    return candidateStartUs;
  }
}
