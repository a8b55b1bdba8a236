package org.mecam.notifier.webpush;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mecam.notifier.config.NotifierConfig;

/**
 * Signs VAPID JWTs (RFC 8292, ES256) and keeps one per push-service origin until it nears expiry,
 * so a fan-out to thousands of browsers on one push service signs once, not per message.
 */
@ApplicationScoped
public class VapidTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}"
      .getBytes(StandardCharsets.US_ASCII));

  private final VapidKeys keys;
  private final Clock clock;
  private final String subject;
  private final Duration lifetime;
  private final Map<String, Token> cache = new ConcurrentHashMap<>();

  private record Token(String header, Instant expires) {}

  @Inject
  public VapidTokens(VapidKeys keys, Clock clock, NotifierConfig config) {
    this(keys, clock, config.webpush().subject(), config.webpush().tokenLifetime());
  }

  VapidTokens(VapidKeys keys, Clock clock, String subject, Duration lifetime) {
    if (!subject.matches("mailto:[^\\s@]+@[^\\s@]+|https://[^\\s/]+(/\\S*)?")) {
      throw new IllegalStateException("mecam.notifier.webpush.subject must be a mailto: or https: URL, got '"
          + subject + "'");
    }
    if (lifetime.compareTo(Duration.ofHours(24)) > 0 || lifetime.compareTo(Duration.ofMinutes(10)) < 0) {
      throw new IllegalStateException("mecam.notifier.webpush.token-lifetime must be between 10 min and 24 h");
    }
    this.keys = keys;
    this.clock = clock;
    this.subject = subject;
    this.lifetime = lifetime;
  }

  /** The origin a JWT's {@code aud} must name: scheme://host[:port] of the endpoint. */
  public static String origin(String endpoint) {
    URI u = URI.create(endpoint);
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  /** The Authorization header value for an endpoint: {@code vapid t=<jwt>, k=<public key>}. */
  public String authorization(String endpoint) {
    String origin = origin(endpoint);
    Instant now = clock.instant();
    Duration margin = lifetime.dividedBy(4).compareTo(Duration.ofHours(1)) < 0 ? lifetime.dividedBy(4)
        : Duration.ofHours(1);
    Token t = cache.get(origin);
    if (t == null || now.plus(margin).isAfter(t.expires())) {
      t = sign(origin, now);
      cache.put(origin, t);
    }
    return t.header();
  }

  /** How many origins have a cached token (for tests and metrics). */
  public int cachedOrigins() {
    return cache.size();
  }

  private Token sign(String origin, Instant now) {
    Instant exp = now.plus(lifetime);
    String claims = "{\"aud\":\"" + origin + "\",\"exp\":" + exp.getEpochSecond() + ",\"sub\":\""
        + subject.replace("\"", "") + "\"}";
    String signingInput = HEADER + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(keys.privateKey());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + B64.encodeToString(s.sign());
      return new Token("vapid t=" + jwt + ", k=" + keys.publicKeyBase64Url(), exp);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign VAPID token", e);
    }
  }
}
