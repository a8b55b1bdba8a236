package org.mecam.notifier.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.push.Aes128GcmDecryptor;

class WebPushEncryptorTest {
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  /** RFC 8291 §5 (the worked example): same keys, auth secret and salt give the same bytes. */
  @Test
  void reproducesTheRfc8291Example() throws Exception {
    byte[] body = WebPushEncryptor.encrypt(
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        B64.decode("BTBZMqHH6r4Tts7J_aSIgg"),
        "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.UTF_8),
        new BigInteger(1, B64.decode("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")),
        B64.decode("DGv6ra1nlYgDCS1FRnbzlw"));
    assertThat(ENC.encodeToString(body)).isEqualTo("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIg"
        + "Dll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");
  }

  /** The test kit's receiver (written from the RFCs, independently) decrypts what the service sends. */
  @Test
  void independentDecryptorReadsEveryMessageAndEachUsesAFreshKey() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    KeyPair ua = g.generateKeyPair();
    byte[] auth = new byte[16];
    auth[3] = 7;
    String p256dh = ENC.encodeToString(uncompressed((ECPublicKey) ua.getPublic()));
    WebPushEncryptor encryptor = new WebPushEncryptor();
    byte[] payload = "{\"title\":\"Motion on garden\"}".getBytes(StandardCharsets.UTF_8);
    WebPushEncryptor.Prepared a = encryptor.encrypt(p256dh, ENC.encodeToString(auth), payload, 60, "high", "motion-garden");
    WebPushEncryptor.Prepared b = encryptor.encrypt(p256dh, ENC.encodeToString(auth), payload, 60, "high", "motion-garden");
    for (WebPushEncryptor.Prepared p : new WebPushEncryptor.Prepared[] {a, b}) {
      assertThat(Aes128GcmDecryptor.decrypt(p.body(), (ECPrivateKey) ua.getPrivate(), (ECPublicKey) ua.getPublic(),
          auth)).isEqualTo(payload);
      assertThat(p.headers()).containsEntry("Content-Encoding", "aes128gcm").containsEntry("Urgency", "high")
          .containsEntry("Topic", "motion-garden").containsEntry("TTL", "60");
    }
    // Salt (bytes 0-15) and the sender's public key (bytes 21-85) differ per message.
    assertThat(java.util.Arrays.copyOfRange(a.body(), 0, 16)).isNotEqualTo(java.util.Arrays.copyOfRange(b.body(), 0, 16));
    assertThat(java.util.Arrays.copyOfRange(a.body(), 21, 86)).isNotEqualTo(java.util.Arrays.copyOfRange(b.body(), 21, 86));
  }

  @Test
  void refusesKeysThatAreNotPointsOnTheCurve() {
    byte[] bad = new byte[65];
    bad[0] = 4;
    bad[64] = 1;
    assertThatThrownBy(() -> new WebPushEncryptor().encrypt(ENC.encodeToString(bad), ENC.encodeToString(new byte[16]),
        new byte[1], 60, "normal", null)).isInstanceOf(GeneralSecurityException.class);
  }

  private static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    byte[] x = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, key.getW().getAffineX());
    byte[] y = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, key.getW().getAffineY());
    System.arraycopy(x, 0, out, 1, 32);
    System.arraycopy(y, 0, out, 33, 32);
    return out;
  }
}
