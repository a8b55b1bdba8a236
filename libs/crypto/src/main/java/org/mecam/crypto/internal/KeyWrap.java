package org.mecam.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.util.Arrays;

/**
 * Wraps and unwraps a file key for one recipient with HPKE (RFC 9180) base mode:
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, single-shot seal with empty AAD.
 */
public final class KeyWrap {
  public static final String INFO_LABEL = "mecam/v1 file key";
  public static final int ENC_LENGTH = 32;
  public static final int WRAPPED_LENGTH = 32 + 16;

  private KeyWrap() {}

  private static HPKE hpke() {
    return new HPKE(
        HPKE.mode_base,
        HPKE.kem_X25519_SHA256,
        HPKE.kdf_HKDF_SHA256,
        HPKE.aead_CHACHA20_POLY1305);
  }

  /** info = ASCII label || the 20 fixed header bytes, binding the wrap to this file's header. */
  public static byte[] info(byte[] fixedHeader) {
    return Arrays.concatenate(INFO_LABEL.getBytes(StandardCharsets.US_ASCII), fixedHeader);
  }

  /** Returns enc (32 bytes) || sealed file key (48 bytes). */
  public static byte[] wrap(byte[] recipientKey, byte[] fileKey, byte[] info, SecureRandom random) {
    HPKE h = hpke();
    byte[] ikm = new byte[32];
    random.nextBytes(ikm);
    // DeriveKeyPair from fresh randomness keeps every random choice behind one SecureRandom,
    // which is what lets the known-answer vectors be regenerated.
    AsymmetricCipherKeyPair ephemeral = h.deriveKeyPair(ikm);
    HPKEContextWithEncapsulation ctx =
        h.setupBaseS(h.deserializePublicKey(recipientKey), info, ephemeral);
    try {
      byte[] ct = ctx.seal(new byte[0], fileKey);
      return Arrays.concatenate(ctx.getEncapsulation(), ct);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the file key, or null when the stanza does not open with this key. */
  public static byte[] unwrap(
      byte[] privateKey, byte[] publicKey, byte[] encAndCt, byte[] info) {
    HPKE h = hpke();
    try {
      AsymmetricCipherKeyPair kp = h.deserializePrivateKey(privateKey, publicKey);
      byte[] enc = Arrays.copyOfRange(encAndCt, 0, ENC_LENGTH);
      byte[] ct = Arrays.copyOfRange(encAndCt, ENC_LENGTH, encAndCt.length);
      HPKEContext ctx = h.setupBaseR(enc, kp, info);
      return ctx.open(new byte[0], ct);
    } catch (InvalidCipherTextException | RuntimeException e) {
      return null;
    }
  }
}
