package org.mecam.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mecam.crypto.Suite;

/**
 * Seals and opens one segment with one JCE {@code doFinal} on a reused {@link Cipher}, using the
 * nonce prefix(7) || big-endian segment counter(4) || last-segment flag(1).
 */
public final class SegmentCipher {
  public static final int TAG_LENGTH = 16;

  private final Suite suite;
  private final Cipher cipher;
  private final SecretKeySpec key;
  private final byte[] nonce = new byte[12];

  public SegmentCipher(Suite suite, byte[] payloadKey, byte[] noncePrefix) {
    this.suite = suite;
    try {
      this.cipher = Cipher.getInstance(suite.transformation());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(suite + " is not available in this JVM", e);
    }
    this.key = new SecretKeySpec(payloadKey, suite.keyAlgorithm());
    System.arraycopy(noncePrefix, 0, nonce, 0, Header.NONCE_PREFIX_LENGTH);
  }

  private AlgorithmParameterSpec nonceFor(long index, boolean last) {
    if (index < 0 || index > 0xFFFF_FFFFL) {
      throw new IllegalStateException("segment counter overflow: a file holds at most 2^32 segments");
    }
    nonce[7] = (byte) (index >>> 24);
    nonce[8] = (byte) (index >>> 16);
    nonce[9] = (byte) (index >>> 8);
    nonce[10] = (byte) index;
    nonce[11] = (byte) (last ? 1 : 0);
    return suite == Suite.AES_256_GCM
        ? new GCMParameterSpec(TAG_LENGTH * 8, nonce)
        : new IvParameterSpec(nonce);
  }

  /**
   * One AEAD call of the suite under a key used once, nonce 12 zero bytes: seals (returns data +
   * tag) or opens (returns the plaintext, or null when the tag fails).
   */
  public static byte[] oneShot(Suite suite, byte[] key, byte[] aad, byte[] data, boolean seal) {
    byte[] zero = new byte[12];
    try {
      Cipher c = Cipher.getInstance(suite.transformation());
      c.init(seal ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, suite.keyAlgorithm()),
          suite == Suite.AES_256_GCM ? new GCMParameterSpec(TAG_LENGTH * 8, zero)
              : new IvParameterSpec(zero));
      c.updateAAD(aad);
      return c.doFinal(data);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypts len bytes into out at outOff and returns the number written (len + 16). */
  public int seal(byte[] in, int off, int len, byte[] out, int outOff, long index, boolean last) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nonceFor(index, last));
      return cipher.doFinal(in, off, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decrypts len ciphertext bytes into out, returning the plaintext length, or -1 when the tag
   * does not verify under the given counter and flag (nothing usable is left in out then).
   */
  public int open(byte[] in, int off, int len, byte[] out, int outOff, long index, boolean last) {
    if (len < TAG_LENGTH) {
      return -1;
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nonceFor(index, last));
      return cipher.doFinal(in, off, len, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
