package org.mecam.agent.detect;

import java.util.List;
import org.mecam.events.Box;

/**
 * What one analysed frame showed: whether enough of the watched area moved, how strongly
 * ({@code score} 0..1), where (boxes in fractions of the frame), and whether the change was a
 * global light change (which is never motion).
 */
public record MotionResult(boolean motion, double score, double changedFraction, List<Box> boxes,
    boolean lightChange) {

  public static final MotionResult NONE = new MotionResult(false, 0, 0, List.of(), false);

  public MotionResult {
    boxes = List.copyOf(boxes);
  }
}
