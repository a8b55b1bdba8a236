package org.mecam.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The owner's X25519 key pair: the private half opens every file, so it lives on disk only inside
 * an {@link OwnerKeyFile} and in memory only while decrypting.
 */
public final class OwnerKeyPair implements Destroyable {
  private final byte[] privateKey;
  private final RecipientKey publicKey;
  private boolean destroyed;

  private OwnerKeyPair(byte[] privateKey) {
    if (privateKey.length != 32) {
      throw new IllegalArgumentException("an X25519 private key has 32 bytes");
    }
    this.privateKey = privateKey.clone();
    this.publicKey =
        RecipientKey.ofBytes(
            new X25519PrivateKeyParameters(this.privateKey, 0).generatePublicKey().getEncoded());
  }

  public static OwnerKeyPair generate() {
    return generate(new SecureRandom());
  }

  public static OwnerKeyPair generate(SecureRandom random) {
    byte[] sk = new byte[32];
    random.nextBytes(sk);
    try {
      return new OwnerKeyPair(sk);
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
  }

  /** Rebuilds a pair from the raw 32-byte private key (the public key is derived from it). */
  public static OwnerKeyPair fromPrivateKey(byte[] privateKey) {
    return new OwnerKeyPair(privateKey);
  }

  public RecipientKey recipient() {
    return publicKey;
  }

  /** A copy of the raw private key; callers should wipe it when done. */
  public byte[] privateKeyBytes() {
    if (destroyed) {
      throw new IllegalStateException("key destroyed");
    }
    return privateKey.clone();
  }

  @Override
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }
}
