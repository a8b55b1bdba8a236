package org.mecam.notifier.webpush;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * Encrypts a push message for one subscription as RFC 8291 (Message Encryption for Web Push) with
 * the {@code aes128gcm} content coding of RFC 8188, and returns the body and headers (TTL, Urgency,
 * Topic, Content-Encoding); VAPID authorisation is added by the caller from {@link VapidTokens}.
 *
 * <p>The elliptic-curve work (a fresh P-256 key pair per message and the ECDH with the subscriber's
 * key) uses BouncyCastle's optimised secp256r1 arithmetic directly, because on Java 17 it is several
 * times faster than the JDK's SunEC (measured in docs/notifier.md); the key derivation (HKDF-SHA-256)
 * and AES-128-GCM use the JDK's JCE, which has CPU intrinsics for both. Nothing is registered as a
 * JCA provider, so the rest of the JVM (TLS included) is unaffected. The web-push library's own
 * {@code HttpEce} decrypts this output in a unit test, and the test kit's independent receiver
 * decrypts it in the integration tests.
 */
final class WebPushEncryptor {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final FixedPointCombMultiplier BASE = new FixedPointCombMultiplier();
  private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CEK_INFO = "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);
  /** RFC 8188 record size: the whole message is one record, which must fit. */
  private static final int RECORD_SIZE = 4096;
  /** Payloads above this do not fit one record (RFC 8291 §4: 4096 - 86 header bytes - 16 tag - 1 delimiter). */
  static final int MAX_PAYLOAD = 3993;

  /** An encrypted request body with the headers that go with it. */
  record Prepared(byte[] body, Map<String, String> headers) {}

  /** A subscriber's key: its point (validated once) and its uncompressed encoding. */
  private record UaKey(ECPoint point, byte[] encoded) {}

  private final Map<String, UaKey> keys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  Prepared encrypt(String p256dh, String auth, byte[] payload, int ttlSeconds, String urgency, String topic)
      throws GeneralSecurityException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("TTL", String.valueOf(ttlSeconds));
    headers.put("Urgency", urgency(urgency));
    if (topic != null) {
      headers.put("Topic", topic);
    }
    headers.put("Content-Type", "application/octet-stream");
    headers.put("Content-Encoding", "aes128gcm");
    return new Prepared(encrypt(key(p256dh), Base64.getUrlDecoder().decode(auth), payload), headers);
  }

  /** The aes128gcm body: salt, record size, the sender's public key, then the single encrypted record. */
  private byte[] encrypt(UaKey ua, byte[] authSecret, byte[] payload) throws GeneralSecurityException {
    BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, P256.getN().subtract(BigInteger.ONE), random);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return encrypt(ua, authSecret, payload, d, salt);
  }

  /** The body for a given sender private key {@code d} and salt (fixed only by the RFC 8291 example test). */
  static byte[] encrypt(String p256dh, byte[] authSecret, byte[] payload, BigInteger d, byte[] salt)
      throws GeneralSecurityException {
    return encrypt(new WebPushEncryptor().key(p256dh), authSecret, payload, d, salt);
  }

  private static byte[] encrypt(UaKey ua, byte[] authSecret, byte[] payload, BigInteger d, byte[] salt)
      throws GeneralSecurityException {
    if (authSecret.length != 16) {
      throw new GeneralSecurityException("auth secret must be 16 bytes");
    }
    if (payload.length > MAX_PAYLOAD) {
      throw new GeneralSecurityException("payload of " + payload.length + " bytes exceeds one record");
    }
    byte[] asPublic = BASE.multiply(P256.getG(), d).getEncoded(false);
    ECPoint shared = ua.point().multiply(d).normalize();
    if (shared.isInfinity()) {
      throw new GeneralSecurityException("ECDH produced the point at infinity");
    }
    byte[] ecdhSecret = BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());

    // RFC 8291 §3.3-3.4: IKM = HKDF(salt=auth, ikm=ecdh, info="WebPush: info\0"||ua_public||as_public, 32)
    byte[] prkKey = hmac(authSecret, ecdhSecret);
    byte[] ikm = Arrays.copyOf(hmac(prkKey, KEY_INFO, ua.encoded(), asPublic, new byte[] {1}), 32);
    // RFC 8188 §2.2-2.3: CEK and nonce from the random 16-byte salt.
    byte[] prk = hmac(salt, ikm);
    byte[] cek = Arrays.copyOf(hmac(prk, CEK_INFO, new byte[] {1}), 16);
    byte[] nonce = Arrays.copyOf(hmac(prk, NONCE_INFO, new byte[] {1}), 12);

    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] plain = Arrays.copyOf(payload, payload.length + 1);
    plain[payload.length] = 2; // the last (and only) record's padding delimiter
    byte[] record = gcm.doFinal(plain);

    return ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + record.length).put(salt).putInt(RECORD_SIZE)
        .put((byte) asPublic.length).put(asPublic).put(record).array();
  }

  private static byte[] hmac(byte[] key, byte[]... parts) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    for (byte[] p : parts) {
      mac.update(p);
    }
    return mac.doFinal();
  }

  /** The subscriber's key, parsed and checked to be on the curve once. */
  private UaKey key(String p256dh) throws GeneralSecurityException {
    UaKey k = keys.get(p256dh);
    if (k == null) {
      byte[] encoded = Base64.getUrlDecoder().decode(p256dh);
      if (encoded.length != 65 || encoded[0] != 4) {
        throw new GeneralSecurityException("p256dh is not an uncompressed P-256 point");
      }
      ECPoint point;
      try {
        point = P256.getCurve().decodePoint(encoded); // validates that the point is on the curve
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException("p256dh is not a P-256 point: " + e.getMessage());
      }
      k = new UaKey(point, encoded);
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
