package org.mecam.mediapull;

import java.net.URI;
import java.util.Objects;

/**
 * Where a registered camera serves its media and the token it expects there; the only address media
 * is ever fetched from. The token never appears in {@link #toString()}.
 */
public record CameraEndpoint(String cameraId, URI mediaUrl, String token) {
  public CameraEndpoint {
    Objects.requireNonNull(cameraId, "cameraId");
    Objects.requireNonNull(mediaUrl, "mediaUrl");
    String scheme = mediaUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || mediaUrl.getHost() == null) {
      throw new IllegalArgumentException("camera " + cameraId + ": media address must be http(s)://host[:port]");
    }
  }

  @Override
  public String toString() {
    return "CameraEndpoint[" + cameraId + " at " + mediaUrl + (token == null ? ", no token" : ", token set") + "]";
  }
}
