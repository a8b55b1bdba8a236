package org.mecam.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/** Shared keys and helpers for the crypto tests; keys are generated once per JVM. */
final class Fixtures {
  static final OwnerKeyPair OWNER = OwnerKeyPair.generate(new SeededRandom("owner"));
  static final OwnerKeyPair BACKUP = OwnerKeyPair.generate(new SeededRandom("backup"));
  static final OwnerKeyPair STRANGER = OwnerKeyPair.generate(new SeededRandom("stranger"));

  private Fixtures() {}

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  static EncryptionParams.Builder params() {
    return EncryptionParams.builder().recipient(OWNER.recipient()).contentType("video/mp4");
  }

  static byte[] encrypt(byte[] plain, EncryptionParams p) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MediaEncryptor.encrypt(new ByteArrayInputStream(plain), out, p);
    return out.toByteArray();
  }

  static byte[] decrypt(byte[] file, OwnerKeyPair key) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MediaDecryptor.decrypt(new ByteArrayInputStream(file), out, key);
    return out.toByteArray();
  }
}
