package org.mecam.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of an expiring snapshot link, part of the contract between notifier and web UI:
 * {@code /media/<mediaId>/snapshot?exp=<epochSeconds>&sig=<this>}, base64url without padding of
 * HMAC-SHA256(key, mediaId + "|" + exp). The notifier signs and the web UI verifies with one shared key.
 * Links issued to a user carry it: {@code ?exp=<epochSeconds>&u=<user>&sig=<sign(key, mediaId, exp, user)>},
 * HMAC over {@code mediaId + "|" + exp + "|" + user}; the web UI refuses them once the user is removed.
 */
public final class SnapshotLinkSignature {
  private SnapshotLinkSignature() {}

  /** The signature of a link issued to {@code user} (none of the three parts can contain '|'). */
  public static String sign(byte[] key, String mediaId, String exp, String user) {
    return sign(key, mediaId, exp + "|" + user);
  }

  public static String sign(byte[] key, String mediaId, String exp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sig = mac.doFinal((mediaId + "|" + exp).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
