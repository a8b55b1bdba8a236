package org.mecam.mediapull;

import java.io.IOException;

/**
 * The announcement or what the camera served breaks a rule (unregistered camera, path outside the
 * camera's namespace, content type not allowed, too large, bytes not as announced): retrying cannot
 * help. {@link #getMessage()} is for the server's log, dead letter and owner alert; what goes back to
 * the camera is only {@link #PUBLIC_REASON}.
 */
public final class PullRefusedException extends IOException {
  /** All a camera learns about a refusal: no status, size or address oracle. */
  public static final String PUBLIC_REASON = "refused";

  public PullRefusedException(String message) {
    super(message);
  }
}
