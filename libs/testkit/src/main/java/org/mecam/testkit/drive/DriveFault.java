package org.mecam.testkit.drive;

/** A failure the Drive fake can inject into a request. */
public enum DriveFault {
  /** HTTP 500 with a Drive error body. */
  SERVER_ERROR,
  /** HTTP 503 with a Drive error body. */
  UNAVAILABLE,
  /** HTTP 429 with {@code Retry-After} (see {@link DriveFake#retryAfterSeconds}). */
  RATE_LIMITED,
  /** The connection is dropped after part of the request body was read (nothing is answered). */
  CONNECTION_RESET
}
