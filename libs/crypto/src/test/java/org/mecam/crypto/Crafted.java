package org.mecam.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import org.mecam.crypto.internal.Header;
import org.mecam.crypto.internal.Hkdf;
import org.mecam.crypto.internal.KeyWrap;
import org.mecam.crypto.internal.SegmentCipher;
import org.mecam.crypto.internal.Trailer;

/**
 * Builds files a correct writer never makes, from the format's parts, to prove the readers refuse
 * what the document forbids: any inner stream, any zstd flag, and an optional empty final segment.
 */
final class Crafted {
  private Crafted() {}

  /**
   * A file whose inner stream is {@code payload || zeros || trailer}, sealed in segments of
   * {@code seg} bytes; with {@code emptyFinal} the zeros make inner a whole number of segments and
   * one more, empty segment is sealed as the final one.
   */
  static byte[] file(byte[] payload, long plaintextSize, byte[] sha256, boolean zstdFlag,
      int seg, boolean emptyFinal, FileBinding binding) throws Exception {
    return file(payload, plaintextSize, sha256, zstdFlag, seg, emptyFinal, binding,
        "application/octet-stream".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** As above with any content type bytes in the trailer, valid or not. */
  static byte[] file(byte[] payload, long plaintextSize, byte[] sha256, boolean zstdFlag,
      int seg, boolean emptyFinal, FileBinding binding, byte[] type) throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] fileKey = new byte[32];
    byte[] prefix = new byte[Header.NONCE_PREFIX_LENGTH];
    random.nextBytes(fileKey);
    random.nextBytes(prefix);
    int flags = zstdFlag ? Header.FLAG_ZSTD : 0;
    int log = Integer.numberOfTrailingZeros(seg);
    int version = binding == null ? Header.VERSION_1 : Header.VERSION_2;
    byte[] fixed = Header.fixedPart(version, Suite.AES_256_GCM, flags, log, prefix, 1);
    RecipientKey owner = Fixtures.OWNER.recipient();
    Header.Stanza stanza = new Header.Stanza(Header.STANZA_TYPE_HPKE_X25519, owner.keyId(),
        KeyWrap.wrap(owner.bytes(), fileKey, KeyWrap.info(fixed), random));
    Header header = Header.build(
        Suite.AES_256_GCM, flags, log, prefix, List.of(stanza), fileKey, binding);
    long trailerLength = Trailer.TAIL_LENGTH + type.length;
    long padding = 0;
    if (emptyFinal) {
      long unpadded = payload.length + trailerLength;
      padding = (seg - unpadded % seg) % seg;
    }
    byte[] trailer = ByteBuffer.allocate((int) trailerLength).put(type).putLong(plaintextSize)
        .putLong(payload.length).putLong(padding).put(sha256).put((byte) type.length).array();
    ByteBuffer inner = ByteBuffer.allocate((int) (payload.length + padding + trailer.length));
    inner.put(payload).put(new byte[(int) padding]).put(trailer);
    byte[] in = inner.array();
    SegmentCipher cipher = new SegmentCipher(
        Suite.AES_256_GCM, Hkdf.derive(fileKey, Hkdf.PAYLOAD_KEY_LABEL, 32), prefix);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.encoded);
    int n = (in.length + seg - 1) / seg;
    byte[] sealed = new byte[seg + 16];
    for (int i = 0; i < n; i++) {
      int len = Math.min(seg, in.length - i * seg);
      boolean last = i == n - 1 && !emptyFinal;
      out.write(sealed, 0, cipher.seal(in, i * seg, len, sealed, 0, i, last));
    }
    if (emptyFinal) {
      out.write(sealed, 0, cipher.seal(new byte[0], 0, 0, sealed, 0, n, true));
    }
    return out.toByteArray();
  }

  static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      d.update(p);
    }
    return d.digest();
  }
}
