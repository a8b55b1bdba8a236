package org.mecam.uploader.domain;

import java.util.Locale;

/** Where a media item is in the pipeline: camera → staging → encrypted upload. */
public enum ItemState {
  /** Recorded; to be pulled from the camera into staging. */
  RECEIVED,
  /** Recorded while the queue was full: left on the camera until there is room. */
  WAITING,
  /** Being pulled right now. */
  STAGING,
  /** Verified copy in staging; waiting to be encrypted and uploaded. */
  STAGED,
  /** Being encrypted and uploaded right now. */
  UPLOADING,
  /** Stored, verified, on the backend. */
  UPLOADED,
  /** No retry left; reported with an alert. */
  FAILED,
  /** Removed from the queue by {@code clear_queue}. */
  DISCARDED;

  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ItemState fromDb(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** True for the states that count against the queue cap. */
  public boolean active() {
    return this == RECEIVED || this == STAGING || this == STAGED || this == UPLOADING;
  }
}
