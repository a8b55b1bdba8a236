package org.mecam.crypto.internal;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** Derives the per-file subkeys from the file key with HKDF-SHA256 (RFC 5869), empty salt. */
public final class Hkdf {
  public static final String PAYLOAD_KEY_LABEL = "mecam/v1 payload key";
  public static final String HEADER_MAC_KEY_LABEL = "mecam/v1 header mac key";
  /** Version 2: the key that seals the camera and media id in the header. */
  public static final String BINDING_KEY_LABEL = "mecam/v2 binding key";

  private Hkdf() {}

  public static byte[] derive(byte[] ikm, String label, int length) {
    HKDFBytesGenerator gen = new HKDFBytesGenerator(new SHA256Digest());
    // An empty salt means a string of HashLen zero bytes (RFC 5869 section 2.2).
    gen.init(new HKDFParameters(ikm, new byte[0], label.getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[length];
    gen.generateBytes(out, 0, length);
    return out;
  }
}
