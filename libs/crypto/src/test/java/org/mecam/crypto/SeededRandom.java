package org.mecam.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/** A deterministic byte source (SHA-256 in counter mode) so known-answer vectors can be rebuilt. */
final class SeededRandom extends SecureRandom {
  private final byte[] seed;
  private long counter;
  private byte[] block = new byte[0];
  private int pos;

  SeededRandom(String seed) {
    this.seed = seed.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      if (pos == block.length) {
        try {
          MessageDigest d = MessageDigest.getInstance("SHA-256");
          d.update(seed);
          d.update(java.nio.ByteBuffer.allocate(8).putLong(counter++).array());
          block = d.digest();
          pos = 0;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      out[i] = block[pos++];
    }
  }
}
