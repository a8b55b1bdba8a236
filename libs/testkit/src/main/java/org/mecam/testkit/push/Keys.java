package org.mecam.testkit.push;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/** P-256 key helpers (uncompressed point encoding) for the loopback push service. */
final class Keys {
  private Keys() {}

  static KeyPair generate() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static ECPublicKey publicKey(byte[] point) throws GeneralSecurityException {
    if (point.length != 65 || point[0] != 4) {
      throw new GeneralSecurityException("not an uncompressed P-256 point");
    }
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
  }

  static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    put(key.getW().getAffineX(), out, 1);
    put(key.getW().getAffineY(), out, 33);
    return out;
  }

  private static void put(BigInteger v, byte[] out, int off) {
    byte[] raw = v.toByteArray();
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, off + 32 - copy, copy);
  }
}
