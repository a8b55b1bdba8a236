package org.mecam.servicekit;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.mecam.secrets.SecretFiles;

/**
 * Closes a service's HTTP endpoints ({@code /api/...} and anything added later: deny by default) to
 * anyone without the service token (issue 12 #8): a request must carry {@code Authorization: Bearer
 * <token>}, the token read from {@code mecam.api.token-file} (mode 0600; created with a random
 * token when absent), compared in constant time; anything else gets 401. Open: {@code /q/health},
 * {@code /q/metrics}, and {@code /internal/} (the uploader's archive read checks its own token). On when {@code mecam.api.guard=true} (the uploader and the notifier).
 */
@ApplicationScoped
public class ServiceApiGuard {
  private static final String BEARER = "Bearer ";

  private final boolean enabled;
  private final byte[] digest;

  public ServiceApiGuard(ServiceApiConfig config, ServiceConfig service) {
    this.enabled = config.guard();
    if (enabled) {
      Path file = config.tokenFile().orElse(service.dataDir().resolve("api.token"));
      String token = SecretFiles.readOrCreateRandom(file, "service API token", 32);
      if (token.length() < 16) {
        throw new IllegalStateException("service API token in " + file + " is shorter than 16 characters");
      }
      this.digest = sha256(token);
    } else {
      this.digest = null;
    }
  }

  void register(@Observes Filters filters) {
    if (enabled) {
      filters.register(this::handle, 200);
      Log.info("service API (/api/...) needs the service token");
    }
  }

  /** Paths that stay open: health and metrics, and the archive read endpoint (it checks its own token). */
  private static final java.util.List<String> OPEN = java.util.List.of("/q/health", "/q/metrics", "/internal/");

  /** True when the path is one the guard protects: everything but {@link #OPEN}, deny by default. */
  static boolean protects(String path) {
    return path == null || OPEN.stream().noneMatch(path::startsWith);
  }

  void handle(RoutingContext ctx) {
    if (!protects(ctx.normalizedPath()) || accepts(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
        .putHeader("Content-Type", "application/json")
        .end("{\"error\":\"this service's API needs its service token (Authorization: Bearer ...)\"}");
  }

  /** True when {@code authorization} is {@code Bearer <the token>}. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
