package org.mecam.cameras;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.mecam.events.CameraIds;

/**
 * One camera of the registry: its id (also its MQTT username), display name, the media address
 * the servers pull from, the media token they present there, and when it was added.
 *
 * <p>Every field is checked on construction, so an instance is always valid. {@link #toString()}
 * never shows the token.
 */
public record RegisteredCamera(String id, String name, URI mediaUrl, String mediaToken, Instant addedAt) {
  /** Base64url characters, 32 to 128 of them (the web UI makes 43: 32 random bytes). */
  public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{32,128}");
  /** Longest display name, in characters. */
  public static final int MAX_NAME = 64;

  public RegisteredCamera {
    String idProblem = CameraIds.problem(id);
    if (idProblem != null) {
      throw new IllegalArgumentException(idProblem);
    }
    String nameProblem = nameProblem(name);
    if (nameProblem != null) {
      throw new IllegalArgumentException(nameProblem);
    }
    String urlProblem = mediaUrlProblem(mediaUrl);
    if (urlProblem != null) {
      throw new IllegalArgumentException(urlProblem);
    }
    if (mediaToken == null || !TOKEN.matcher(mediaToken).matches()) {
      throw new IllegalArgumentException("media token of camera '" + id
          + "' must be 32 to 128 base64url characters");
    }
    Objects.requireNonNull(addedAt, "addedAt");
  }

  /** Null when {@code name} is a valid display name, else why not. */
  public static String nameProblem(String name) {
    if (name == null || name.isBlank()) {
      return "camera name is missing";
    }
    if (name.length() > MAX_NAME) {
      return "camera name is longer than " + MAX_NAME + " characters";
    }
    if (!name.equals(name.strip())) {
      return "camera name must not start or end with spaces";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "camera name must not contain control characters";
      }
    }
    return null;
  }

  /**
   * Null when {@code url} is a usable media address ({@code http} or {@code https}, a host, no
   * user info, query or fragment), else why not.
   */
  public static String mediaUrlProblem(URI url) {
    if (url == null) {
      return "media URL is missing";
    }
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      return "media URL '" + url + "' must start with http:// or https://";
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      return "media URL '" + url + "' has no host";
    }
    if (url.getRawUserInfo() != null) {
      return "media URL must not contain user info (the camera's token is kept separately)";
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      return "media URL '" + url + "' must not have a query or fragment";
    }
    return null;
  }

  /** Parses and checks a media address typed by a user or read from the file. */
  public static URI parseMediaUrl(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("media URL is missing");
    }
    URI u;
    try {
      u = new URI(text.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("media URL is not a valid URL: " + e.getReason());
    }
    String p = mediaUrlProblem(u);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
    return u;
  }

  /** The same camera with its media token shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return "RegisteredCamera[id=" + id + ", name=" + name + ", mediaUrl=" + mediaUrl
        + ", mediaToken=<redacted>, addedAt=" + addedAt + "]";
  }
}
