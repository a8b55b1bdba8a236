package org.mecam.testkit.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a VAPID Authorization header as a push service does (RFC 8292): {@code vapid t=<JWT>,
 * k=<key>}, an ES256 signature by {@code k}, {@code aud} equal to the endpoint's origin, {@code exp}
 * in the future and at most 24 h ahead, and a {@code sub} claim.
 */
public final class VapidVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();

  /**
   * Claims of tokens whose signature was already verified, by token and key: a real push service verifies a
   * VAPID JWT once and caches it; aud, exp and sub are still checked on every request.
   */
  private final Map<String, JsonNode> verified = new ConcurrentHashMap<>();

  /** What a valid header said. */
  public record Claims(String aud, long exp, String sub, String key, String token) {}

  /** Thrown with the reason a header is refused. */
  public static final class Invalid extends Exception {
    public Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  public Claims verify(String authorization, String expectedOrigin, Instant now) throws Invalid {
    if (authorization == null || !authorization.regionMatches(true, 0, "vapid ", 0, 6)) {
      throw new Invalid("Authorization is not a 'vapid' scheme");
    }
    String token = null;
    String key = null;
    for (String part : authorization.substring(6).split(",")) {
      String p = part.trim();
      if (p.startsWith("t=")) {
        token = p.substring(2);
      } else if (p.startsWith("k=")) {
        key = p.substring(2);
      }
    }
    if (token == null || key == null) {
      throw new Invalid("vapid header lacks t= or k=");
    }
    String cacheKey = token + ' ' + key;
    JsonNode claims = verified.get(cacheKey);
    if (claims == null) {
      claims = verifySignature(token, key);
      if (verified.size() > 10_000) {
        verified.clear();
      }
      verified.put(cacheKey, claims);
    }
    String aud = claims.path("aud").asText("");
    if (!aud.equals(expectedOrigin)) {
      throw new Invalid("aud '" + aud + "' is not the endpoint origin '" + expectedOrigin + "'");
    }
    if (!claims.path("exp").canConvertToLong()) {
      throw new Invalid("exp missing");
    }
    long exp = claims.path("exp").asLong();
    if (exp <= now.getEpochSecond()) {
      throw new Invalid("token expired");
    }
    if (exp > now.plus(Duration.ofHours(24)).getEpochSecond()) {
      throw new Invalid("exp more than 24 h ahead");
    }
    String sub = claims.path("sub").asText("");
    if (sub.isEmpty()) {
      throw new Invalid("sub missing");
    }
    if (!sub.startsWith("mailto:") && !sub.startsWith("https:")) {
      throw new Invalid("sub must be a mailto: or https: URL");
    }
    return new Claims(aud, exp, sub, key, token);
  }

  /** Checks the compact JWS (ES256 by {@code key}) and returns its claims. */
  private static JsonNode verifySignature(String token, String key) throws Invalid {
    String[] jws = token.split("\\.");
    if (jws.length != 3) {
      throw new Invalid("token is not a compact JWS");
    }
    JsonNode header = json(jws[0]);
    JsonNode claims = json(jws[1]);
    if (!"ES256".equals(header.path("alg").asText())) {
      throw new Invalid("alg must be ES256");
    }
    try {
      ECPublicKey pub = Keys.publicKey(B64.decode(key));
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initVerify(pub);
      s.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(B64.decode(jws[2]))) {
        throw new Invalid("ES256 signature does not verify with k");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new Invalid("ES256 signature check failed: " + e.getMessage());
    }
    return claims;
  }

  private static JsonNode json(String b64) throws Invalid {
    try {
      return JSON.readTree(B64.decode(b64));
    } catch (Exception e) {
      throw new Invalid("token part is not base64url JSON");
    }
  }
}
