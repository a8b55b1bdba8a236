package org.mecam.testkit.push;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts a Web Push message body as a user agent does: RFC 8188 {@code aes128gcm} content coding
 * with the key derivation of RFC 8291, written from the RFCs with JDK crypto only.
 */
public final class Aes128GcmDecryptor {
  private Aes128GcmDecryptor() {}

  /**
   * @param body the request body: salt(16) | rs(4) | idlen(1) | keyid (the sender's public key) | records
   * @param uaPrivate the subscriber's private key, {@code uaPublic} its public key, {@code auth} the secret
   */
  public static byte[] decrypt(byte[] body, ECPrivateKey uaPrivate, ECPublicKey uaPublic, byte[] auth)
      throws GeneralSecurityException {
    if (body.length < 21) {
      throw new GeneralSecurityException("body shorter than the aes128gcm header");
    }
    ByteBuffer in = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    in.get(salt);
    long rs = Integer.toUnsignedLong(in.getInt());
    int idlen = in.get() & 0xff;
    if (rs < 18) {
      throw new GeneralSecurityException("record size " + rs + " too small");
    }
    if (idlen != 65 || in.remaining() < idlen) {
      throw new GeneralSecurityException("keyid must be the sender's 65-byte P-256 public key, got " + idlen);
    }
    byte[] asPublicBytes = new byte[idlen];
    in.get(asPublicBytes);
    ECPublicKey asPublic = Keys.publicKey(asPublicBytes);

    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(uaPrivate);
    ka.doPhase(asPublic, true);
    byte[] ecdhSecret = ka.generateSecret();

    // RFC 8291 section 3.4
    byte[] prkKey = hmac(auth, ecdhSecret);
    byte[] keyInfo = concat("WebPush: info".getBytes(StandardCharsets.US_ASCII), new byte[] {0},
        Keys.uncompressed(uaPublic), asPublicBytes, new byte[] {1});
    byte[] ikm = hmac(prkKey, keyInfo);
    // RFC 8188 section 2.2 / 2.3
    byte[] prk = hmac(salt, ikm);
    byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm".getBytes(StandardCharsets.US_ASCII),
        new byte[] {0, 1})), 16);
    byte[] nonceBase = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce".getBytes(StandardCharsets.US_ASCII),
        new byte[] {0, 1})), 12);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long seq = 0;
    boolean sawLast = false;
    while (in.hasRemaining()) {
      if (sawLast) {
        throw new GeneralSecurityException("data after the last record");
      }
      int len = (int) Math.min(rs, in.remaining());
      byte[] record = new byte[len];
      in.get(record);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce(nonceBase, seq)));
      byte[] plain = cipher.doFinal(record);
      int end = plain.length - 1;
      while (end >= 0 && plain[end] == 0) {
        end--;
      }
      if (end < 0) {
        throw new GeneralSecurityException("record without padding delimiter");
      }
      if (plain[end] == 2) {
        sawLast = true;
      } else if (plain[end] != 1) {
        throw new GeneralSecurityException("bad padding delimiter " + plain[end]);
      }
      out.write(plain, 0, end);
      seq++;
    }
    if (!sawLast) {
      throw new GeneralSecurityException("message truncated: no last record");
    }
    return out.toByteArray();
  }

  private static byte[] nonce(byte[] base, long seq) {
    byte[] n = base.clone();
    for (int i = 0; i < 8; i++) {
      n[11 - i] ^= (byte) (seq >>> (8 * i));
    }
    return n;
  }

  static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
