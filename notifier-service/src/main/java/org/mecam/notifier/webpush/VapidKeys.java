package org.mecam.notifier.webpush;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.Properties;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;

/**
 * The service's VAPID key pair (P-256): generated once, kept in {@code <data-dir>/vapid.key} with
 * mode 0600, and its public key (uncompressed point, base64url) served to browsers as
 * {@code applicationServerKey}.
 */
@ApplicationScoped
public class VapidKeys {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final String publicKeyText;

  @Inject
  public VapidKeys(ServiceConfig service) {
    this(service.dataDir().resolve("vapid.key"));
  }

  VapidKeys(Path file) {
    try {
      boolean existed = Files.exists(file);
      KeyPair pair = parse(SecretFiles.readOrCreate(file, "VAPID key", VapidKeys::newKeyText));
      if (!existed) {
        Log.infof("generated a new VAPID key pair in %s", file);
      }
      this.privateKey = (ECPrivateKey) pair.getPrivate();
      this.publicKey = (ECPublicKey) pair.getPublic();
      this.publicKeyText = B64.encodeToString(uncompressed(publicKey));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load VAPID key " + file + ": " + e.getMessage(), e);
    }
  }

  public ECPrivateKey privateKey() {
    return privateKey;
  }

  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** The public key as browsers want it: 65-byte uncompressed point, base64url without padding. */
  public String publicKeyBase64Url() {
    return publicKeyText;
  }

  private static String newKeyText() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = g.generateKeyPair();
      byte[] d = fixed(((ECPrivateKey) pair.getPrivate()).getS(), 32);
      return "# mecam notifier VAPID key pair (P-256), base64url; keep secret\n"
          + "public=" + B64.encodeToString(uncompressed((ECPublicKey) pair.getPublic())) + "\n"
          + "private=" + B64.encodeToString(d) + "\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a VAPID key pair: " + e.getMessage(), e);
    }
  }

  private static KeyPair parse(String text) throws IOException, GeneralSecurityException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    byte[] d = UNB64.decode(p.getProperty("private", ""));
    ECPublicKey pub = publicKeyFrom(UNB64.decode(p.getProperty("public", "")));
    ECPrivateKey priv = (ECPrivateKey) KeyFactory.getInstance("EC")
        .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), p256()));
    return new KeyPair(pub, priv);
  }

  /** P-256 domain parameters. */
  public static ECParameterSpec p256() throws GeneralSecurityException {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    return params.getParameterSpec(ECParameterSpec.class);
  }

  /** Parses a 65-byte uncompressed P-256 point (a subscription's p256dh or a VAPID key). */
  public static ECPublicKey publicKeyFrom(byte[] point) throws GeneralSecurityException {
    if (point.length != 65 || point[0] != 4) {
      throw new GeneralSecurityException("not an uncompressed P-256 point");
    }
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(point, 33, 65));
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), p256()));
  }

  public static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    System.arraycopy(fixed(key.getW().getAffineX(), 32), 0, out, 1, 32);
    System.arraycopy(fixed(key.getW().getAffineY(), 32), 0, out, 33, 32);
    return out;
  }

  private static byte[] fixed(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    return out;
  }
}
