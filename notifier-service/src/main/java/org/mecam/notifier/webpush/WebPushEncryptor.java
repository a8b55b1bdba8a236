package org.mecam.notifier.webpush;

import java.security.GeneralSecurityException;
import java.security.Security;
import nl.martijndwars.webpush.AbstractPushService;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.HttpRequest;
import nl.martijndwars.webpush.Notification;
import nl.martijndwars.webpush.Urgency;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Encrypts a push message for one subscription with the web-push library (RFC 8291, always
 * {@code aes128gcm}) and returns the request's body and headers (TTL, Urgency, Topic,
 * Content-Encoding); VAPID authorisation is added by the caller from {@link VapidTokens}.
 */
final class WebPushEncryptor extends AbstractPushService<WebPushEncryptor> {
  static {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  /** Builds the encrypted request; no VAPID keys are set here, so the library signs nothing. */
  HttpRequest encrypt(String endpoint, String p256dh, String auth, byte[] payload, int ttlSeconds, String urgency,
      String topic) throws GeneralSecurityException {
    try {
      Notification.NotificationBuilder b = Notification.builder().endpoint(endpoint).userPublicKey(p256dh)
          .userAuth(auth).payload(payload).ttl(ttlSeconds).urgency(urgency(urgency));
      if (topic != null) {
        b.topic(topic);
      }
      return prepareRequest(b.build(), Encoding.AES128GCM);
    } catch (java.io.IOException | org.jose4j.lang.JoseException e) {
      throw new GeneralSecurityException("cannot prepare push request: " + e.getMessage(), e);
    }
  }

  private static Urgency urgency(String u) {
    return switch (u) {
      case "high" -> Urgency.HIGH;
      case "low" -> Urgency.LOW;
      case "very-low" -> Urgency.VERY_LOW;
      default -> Urgency.NORMAL;
    };
  }
}
