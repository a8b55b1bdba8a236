package org.mecam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;

/**
 * The web UI's settings that other services need, retained on {@code mecam/v1/webui/settings}:
 * {@code publicUrl} is the address the owner chose at setup for reaching the web UI (links and
 * pictures in notifications), an {@code http} or {@code https} URL with a host, optional port and
 * path, and no user info, query, fragment or trailing slash.
 */
public record WebUiSettings(
    @JsonProperty(required = true) int schema,
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) Instant time,
    @JsonProperty(required = true) String publicUrl) implements Payload {

  /** Longest accepted public URL. */
  public static final int MAX_URL = 300;

  @Override
  public void validate(Checks c) {
    c.id("id", id);
    String p = publicUrlProblem(publicUrl);
    c.check(p == null, "field 'publicUrl': " + p);
  }

  /** Null when {@code url} is a usable public URL in normal form, else why not. */
  public static String publicUrlProblem(String url) {
    if (url == null || url.isBlank()) {
      return "the public URL is missing";
    }
    if (url.length() > MAX_URL) {
      return "the public URL is longer than " + MAX_URL + " characters";
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return "the public URL is not a valid URL (" + e.getReason() + ")";
    }
    if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
      return "the public URL must start with https:// (or http://)";
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      return "the public URL has no host name";
    }
    if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
      return "the public URL must not contain user info, a query or a fragment";
    }
    if (url.endsWith("/")) {
      return "the public URL must not end with '/'";
    }
    return null;
  }

  /**
   * A public URL as a user typed it, trimmed and without trailing slashes, checked; throws
   * {@link IllegalArgumentException} with the reason when it cannot be used.
   */
  public static String normalisePublicUrl(String typed) {
    String s = typed == null ? "" : typed.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    String p = publicUrlProblem(s);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
    return s;
  }
}
