package org.mecam.notifier.webpush;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.HttpEce;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * Encrypts a push message for one subscription with the web-push library's RFC 8291 implementation
 * ({@link HttpEce}, always {@code aes128gcm}) and returns the body and headers (TTL, Urgency, Topic,
 * Content-Encoding); VAPID authorisation is added by the caller from {@link VapidTokens}.
 *
 * <p>Why not {@code PushService.encrypt}: the library looks the curve up as "prime256v1", which
 * BouncyCastle maps to its generic BigInteger curve; the same curve as "secp256r1" is BouncyCastle's
 * optimised P-256 implementation, about five times faster. So the ephemeral key and the subscriber's
 * key are made on that curve here, and the library does the rest exactly as before.
 */
final class WebPushEncryptor {
  private static final String KEY_ID = "server-key-id";
  private static final ECNamedCurveParameterSpec P256;

  static {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    P256 = ECNamedCurveTable.getParameterSpec("secp256r1");
    BouncyCastleEcdhFirst.install();
  }

  /** An encrypted request body with the headers that go with it. */
  record Prepared(byte[] body, Map<String, String> headers) {}

  private final Map<String, ECPublicKey> keys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  Prepared encrypt(String p256dh, String auth, byte[] payload, int ttlSeconds, String urgency, String topic)
      throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BouncyCastleProvider.PROVIDER_NAME);
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair local = g.generateKeyPair();
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    HttpEce ece = new HttpEce(Map.of(KEY_ID, local), Map.of(KEY_ID, "P-256"));
    byte[] body = ece.encrypt(payload, salt, null, KEY_ID, key(p256dh), Base64.getUrlDecoder().decode(auth),
        Encoding.AES128GCM);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("TTL", String.valueOf(ttlSeconds));
    headers.put("Urgency", urgency(urgency));
    if (topic != null) {
      headers.put("Topic", topic);
    }
    headers.put("Content-Type", "application/octet-stream");
    headers.put("Content-Encoding", "aes128gcm");
    return new Prepared(body, headers);
  }

  /** The subscriber's key on BouncyCastle's optimised P-256 curve, parsed (and validated) once. */
  private ECPublicKey key(String p256dh) throws GeneralSecurityException {
    ECPublicKey k = keys.get(p256dh);
    if (k == null) {
      byte[] point = Base64.getUrlDecoder().decode(p256dh);
      k = (ECPublicKey) KeyFactory.getInstance("EC", BouncyCastleProvider.PROVIDER_NAME)
          .generatePublic(new ECPublicKeySpec(P256.getCurve().decodePoint(point), P256));
      if (keys.size() > 100_000) {
        keys.clear();
      }
      keys.put(p256dh, k);
    }
    return k;
  }

  private static String urgency(String u) {
    return switch (u) {
      case "high", "low", "very-low" -> u;
      default -> "normal";
    };
  }
}
