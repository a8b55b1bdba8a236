package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a media file is; snapshots are small and go first everywhere. */
public enum MediaKind {
  @JsonProperty("snapshot") SNAPSHOT,
  @JsonProperty("clip") CLIP
}
