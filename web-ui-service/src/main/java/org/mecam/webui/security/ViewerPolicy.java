package org.mecam.webui.security;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a viewer may do, deny by default: read pages and the API (except the owners' account
 * management), play clips, arm cameras, unlock the archive for playback, register their own devices
 * for notifications, and log out. Every other state change — settings, disarming, tests, clearing,
 * snoozing, tokens, users — is for owners only, so a route added later is owner-only until listed here.
 */
public final class ViewerPolicy {
  /** State changes a viewer may make (method and path pattern). */
  static final List<String> VIEWER_CHANGES = List.of(
      "POST /logout",
      "POST /api/cameras/[a-z0-9-]{1,32}/arm",
      "POST /api/cameras/arm-all",
      "POST /api/archive/unlock",
      "POST /api/archive/lock",
      "POST /api/notifications/webpush/subscribe",
      "POST /api/notifications/webpush/unsubscribe",
      "POST /api/notifications/fcm/register",
      "POST /api/notifications/fcm/unregister");

  /**
   * Reads that are for owners only: the household's accounts and API tokens, linking Google Drive,
   * cameras' agent configurations (they hold the camera's secrets) and the onboarding pages.
   */
  static final List<String> OWNER_READS = List.of("/api/users(/.*)?", "/api/tokens(/.*)?",
      "/api/cloud/oauth/authorize", "/api/cameras/[^/]+/agent-config", "/cameras/manage", "/welcome");

  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final List<Pattern> CHANGES = VIEWER_CHANGES.stream().map(Pattern::compile).toList();
  private static final List<Pattern> READS = OWNER_READS.stream().map(Pattern::compile).toList();

  private ViewerPolicy() {}

  /** Whether a viewer may make this request. */
  public static boolean allows(HttpMethod method, String path) {
    if (SAFE.contains(method)) {
      return READS.stream().noneMatch(p -> p.matcher(path).matches());
    }
    String request = method.name() + " " + path;
    return CHANGES.stream().anyMatch(p -> p.matcher(request).matches());
  }
}
