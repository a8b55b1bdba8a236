package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mecam.agent.detect.MotionResult;
import org.mecam.agent.detect.MotionTracker;
import org.mecam.agent.detect.MotionTracker.Action;
import org.mecam.events.Box;

/** Event timing on the media timeline: minimum duration, post-roll and the maximum length. */
class MotionTrackerTest {
  private static final MotionResult MOTION = new MotionResult(true, 0.5, 0.1, List.of(new Box(0, 0, 0.5, 0.5)), false);
  private static final MotionResult STILL = MotionResult.NONE;
  private static final long FRAME = 200_000;

  private final MotionTracker tracker = new MotionTracker(500_000, 2_000_000, 10_000_000, 600_000);

  private List<Action> feed(long fromUs, int frames, MotionResult r) {
    List<Action> out = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      Action a = tracker.onFrame(fromUs + i * FRAME, r);
      if (a != Action.NONE) {
        out.add(a);
      }
    }
    return out;
  }

  @Test
  void singleNoisyFramesNeverStartAnEvent() {
    for (int i = 0; i < 20; i++) {
      assertThat(tracker.onFrame(i * 4 * FRAME, MOTION)).isEqualTo(Action.NONE);
      assertThat(tracker.onFrame(i * 4 * FRAME + FRAME, STILL)).isEqualTo(Action.NONE);
    }
  }

  @Test
  void startsAfterMinimumDurationDatedAtFirstMotionAndEndsAfterPostRoll() {
    assertThat(feed(1_000_000, 3, MOTION)).as("0.4 s of motion is not yet enough").isEmpty();
    assertThat(tracker.onFrame(1_600_000, MOTION)).isEqualTo(Action.START);
    assertThat(tracker.startedUs()).isEqualTo(1_000_000);
    feed(1_800_000, 4, MOTION);
    // last motion at 2.4 s; the end comes 2 s later.
    assertThat(feed(2_600_000, 9, STILL)).isEmpty();
    assertThat(tracker.onFrame(4_400_000, STILL)).isEqualTo(Action.END);
    assertThat(tracker.lastMotionUs()).isEqualTo(2_400_000);
  }

  @Test
  void endlessMotionIsCutAtTheMaximumLength() {
    List<Action> actions = feed(0, 60, MOTION);
    assertThat(actions).containsExactly(Action.START, Action.END, Action.START);
  }
}
