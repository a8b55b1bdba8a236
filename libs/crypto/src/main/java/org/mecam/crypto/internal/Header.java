package org.mecam.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileException.Kind;
import org.mecam.crypto.FileBinding;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.Suite;

/**
 * Encodes and parses the file header (magic, version, suite, flags, segment size, nonce prefix,
 * recipient stanzas, in version 2 the sealed binding, HMAC) and turns it plus an owner key into the
 * file's subkeys and authenticated binding.
 */
public final class Header {
  public static final byte[] MAGIC = "MECAMENC".getBytes(StandardCharsets.US_ASCII);
  /** Version 1: no binding. Written for files without a {@link FileBinding}. */
  public static final int VERSION_1 = 1;
  /** Version 2: version 1 plus the sealed camera and media id (docs §2.4). */
  public static final int VERSION_2 = 2;
  public static final int SEALED_BINDING_LENGTH = FileBinding.ENCODED_LENGTH + 16;
  public static final int FIXED_LENGTH = 20;
  public static final int STANZA_LENGTH = 1 + 8 + KeyWrap.ENC_LENGTH + KeyWrap.WRAPPED_LENGTH;
  public static final int STANZA_TYPE_HPKE_X25519 = 1;
  public static final int MAC_LENGTH = 32;
  public static final int FLAG_ZSTD = 1;
  public static final int FLAG_PADDED = 2;
  public static final int NONCE_PREFIX_LENGTH = 7;
  public static final int MIN_SEGMENT_LOG = 12;
  public static final int MAX_SEGMENT_LOG = 24;
  public static final int MAX_RECIPIENTS = 32;

  /** One recipient's wrapped copy of the file key. */
  public record Stanza(int type, byte[] keyId, byte[] encAndCt) {}

  public final int version;
  public final Suite suite;
  public final int flags;
  public final int segmentLog;
  public final byte[] noncePrefix;
  public final List<Stanza> stanzas;
  /** Version 2 only: the binding block sealed under the binding key (528 bytes); else null. */
  public final byte[] sealedBinding;
  /** The complete header as it appears in the file, MAC included. */
  public final byte[] encoded;

  private Header(
      int version, Suite suite, int flags, int segmentLog, byte[] noncePrefix,
      List<Stanza> stanzas, byte[] sealedBinding, byte[] encoded) {
    this.version = version;
    this.sealedBinding = sealedBinding;
    this.suite = suite;
    this.flags = flags;
    this.segmentLog = segmentLog;
    this.noncePrefix = noncePrefix;
    this.stanzas = List.copyOf(stanzas);
    this.encoded = encoded;
  }

  public int segmentSize() {
    return 1 << segmentLog;
  }

  public boolean compressed() {
    return (flags & FLAG_ZSTD) != 0;
  }

  public boolean padded() {
    return (flags & FLAG_PADDED) != 0;
  }

  public int length() {
    return encoded.length;
  }

  /** Length of a header with this version and number of recipients. */
  public static int length(int version, int recipients) {
    return FIXED_LENGTH + recipients * STANZA_LENGTH
        + (version == VERSION_2 ? SEALED_BINDING_LENGTH : 0) + MAC_LENGTH;
  }

  public static byte[] fixedPart(
      int version, Suite suite, int flags, int segmentLog, byte[] noncePrefix, int recipients) {
    byte[] f = new byte[FIXED_LENGTH];
    System.arraycopy(MAGIC, 0, f, 0, 8);
    f[8] = (byte) version;
    f[9] = (byte) suite.id();
    f[10] = (byte) flags;
    f[11] = (byte) segmentLog;
    System.arraycopy(noncePrefix, 0, f, 12, NONCE_PREFIX_LENGTH);
    f[19] = (byte) recipients;
    return f;
  }

  /**
   * Builds a header for a writer from the file key: version 2 (with the sealed binding) when
   * {@code binding} is set, else version 1.
   */
  public static Header build(
      Suite suite, int flags, int segmentLog, byte[] noncePrefix, List<Stanza> stanzas,
      byte[] fileKey, FileBinding binding) {
    int version = binding == null ? VERSION_1 : VERSION_2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] fixed = fixedPart(version, suite, flags, segmentLog, noncePrefix, stanzas.size());
    out.writeBytes(fixed);
    for (Stanza s : stanzas) {
      out.write(s.type);
      out.writeBytes(s.keyId);
      out.writeBytes(s.encAndCt);
    }
    byte[] sealed = null;
    if (binding != null) {
      sealed = sealBinding(suite, fileKey, fixed, binding.encode());
      out.writeBytes(sealed);
    }
    byte[] body = out.toByteArray();
    byte[] macKey = Hkdf.derive(fileKey, Hkdf.HEADER_MAC_KEY_LABEL, 32);
    out.writeBytes(hmac(macKey, body));
    Arrays.fill(macKey, (byte) 0);
    return new Header(
        version, suite, flags, segmentLog, noncePrefix, stanzas, sealed, out.toByteArray());
  }

  /** AEAD(suite, binding key, nonce 0^12, aad = fixed, block): unique key per file, one use. */
  private static byte[] sealBinding(Suite suite, byte[] fileKey, byte[] fixed, byte[] block) {
    byte[] key = Hkdf.derive(fileKey, Hkdf.BINDING_KEY_LABEL, 32);
    try {
      return SegmentCipher.oneShot(suite, key, fixed, block, true);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads and structurally validates a header; no key is needed (this is what {@code info} shows). */
  public static Header read(InputStream in) throws IOException {
    byte[] fixed = new byte[FIXED_LENGTH];
    int n = in.readNBytes(fixed, 0, FIXED_LENGTH);
    if (n < MAGIC.length || !Arrays.equals(fixed, 0, 8, MAGIC, 0, 8)) {
      throw new EncryptedFileException(
          Kind.NOT_MECAM_FILE, "not a mecam file (the first 8 bytes are not \"MECAMENC\")");
    }
    int version = fixed[8] & 0xff;
    if (n >= 9 && version != VERSION_1 && version != VERSION_2) {
      throw new EncryptedFileException(
          Kind.UNKNOWN_VERSION,
          "unknown format version " + version + " (this build reads versions 1 and 2)");
    }
    if (n < FIXED_LENGTH) {
      throw new EncryptedFileException(Kind.TRUNCATED, "truncated inside the header");
    }
    Suite suite = Suite.byId(fixed[9] & 0xff);
    if (suite == null) {
      throw new EncryptedFileException(
          Kind.MALFORMED_HEADER, "unknown cipher suite " + (fixed[9] & 0xff) + " in header");
    }
    int flags = fixed[10] & 0xff;
    if ((flags & ~(FLAG_ZSTD | FLAG_PADDED)) != 0) {
      throw new EncryptedFileException(
          Kind.MALFORMED_HEADER, "unknown flag bits 0x" + Integer.toHexString(flags) + " in header");
    }
    int segmentLog = fixed[11] & 0xff;
    if (segmentLog < MIN_SEGMENT_LOG || segmentLog > MAX_SEGMENT_LOG) {
      throw new EncryptedFileException(
          Kind.MALFORMED_HEADER, "segment size 2^" + segmentLog + " out of range in header");
    }
    byte[] prefix = Arrays.copyOfRange(fixed, 12, 19);
    int count = fixed[19] & 0xff;
    if (count < 1 || count > MAX_RECIPIENTS) {
      throw new EncryptedFileException(
          Kind.MALFORMED_HEADER, "recipient count " + count + " out of range in header");
    }
    int rest = length(version, count) - FIXED_LENGTH;
    byte[] tail = in.readNBytes(rest);
    if (tail.length < rest) {
      throw new EncryptedFileException(Kind.TRUNCATED, "truncated inside the header");
    }
    List<Stanza> stanzas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int o = i * STANZA_LENGTH;
      int type = tail[o] & 0xff;
      if (type != STANZA_TYPE_HPKE_X25519) {
        throw new EncryptedFileException(
            Kind.MALFORMED_HEADER, "unknown recipient stanza type " + type + " in header");
      }
      stanzas.add(
          new Stanza(
              type,
              Arrays.copyOfRange(tail, o + 1, o + 9),
              Arrays.copyOfRange(tail, o + 9, o + STANZA_LENGTH)));
    }
    byte[] sealed = version == VERSION_2
        ? Arrays.copyOfRange(tail, count * STANZA_LENGTH, count * STANZA_LENGTH + SEALED_BINDING_LENGTH)
        : null;
    byte[] encoded = new byte[FIXED_LENGTH + rest];
    System.arraycopy(fixed, 0, encoded, 0, FIXED_LENGTH);
    System.arraycopy(tail, 0, encoded, FIXED_LENGTH, rest);
    return new Header(version, suite, flags, segmentLog, prefix, stanzas, sealed, encoded);
  }

  /**
   * What a reader gets once the header MAC has verified: the body key and, in version 2, the
   * authenticated binding (null in version 1).
   */
  public record FileKeys(byte[] payloadKey, FileBinding binding) {}

  /** Opens the stanza addressed to the owner key and checks the header MAC. */
  public FileKeys open(OwnerKeyPair owner) throws EncryptedFileException {
    byte[] id = owner.recipient().keyId();
    byte[] fixed = Arrays.copyOf(encoded, FIXED_LENGTH);
    byte[] info = KeyWrap.info(fixed);
    byte[] sk = owner.privateKeyBytes();
    byte[] pk = owner.recipient().bytes();
    boolean addressed = false;
    try {
      for (Stanza s : stanzas) {
        // The key id only says which stanza to try first; every stanza is tried so that a
        // corrupted id cannot lock the owner out.
        boolean mine = Arrays.equals(s.keyId, id);
        addressed |= mine;
        byte[] fileKey = KeyWrap.unwrap(sk, pk, s.encAndCt, info);
        if (fileKey != null) {
          byte[] macKey = Hkdf.derive(fileKey, Hkdf.HEADER_MAC_KEY_LABEL, 32);
          byte[] expected = hmac(macKey, Arrays.copyOf(encoded, encoded.length - MAC_LENGTH));
          byte[] actual = Arrays.copyOfRange(encoded, encoded.length - MAC_LENGTH, encoded.length);
          if (!MessageDigest.isEqual(expected, actual)) {
            throw new EncryptedFileException(
                Kind.HEADER_TAMPERED, "header tampered: the header MAC does not match");
          }
          FileBinding binding = version == VERSION_2 ? openBinding(fileKey, fixed) : null;
          return new FileKeys(Hkdf.derive(fileKey, Hkdf.PAYLOAD_KEY_LABEL, 32), binding);
        }
      }
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
    if (addressed) {
      throw new EncryptedFileException(
          Kind.HEADER_TAMPERED,
          "header tampered: the recipient stanza for key " + owner.recipient().keyIdHex()
              + " does not open");
    }
    StringBuilder ids = new StringBuilder();
    for (Stanza s : stanzas) {
      ids.append(ids.length() == 0 ? "" : ", ").append(HexFormat.of().formatHex(s.keyId));
    }
    throw new EncryptedFileException(
        Kind.NOT_A_RECIPIENT,
        "this file is not encrypted for key " + owner.recipient().keyIdHex()
            + " (its recipients are " + ids + ")");
  }

  private FileBinding openBinding(byte[] fileKey, byte[] fixed) throws EncryptedFileException {
    byte[] key = Hkdf.derive(fileKey, Hkdf.BINDING_KEY_LABEL, 32);
    byte[] block;
    try {
      block = SegmentCipher.oneShot(suite, key, fixed, sealedBinding, false);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    if (block == null) {
      // The MAC covered these bytes, so only a writer that sealed them wrongly gets here.
      throw new EncryptedFileException(
          Kind.HEADER_TAMPERED, "header tampered: the sealed binding does not open");
    }
    FileBinding b = FileBinding.decode(block);
    if (b == null) {
      throw new EncryptedFileException(
          Kind.MALFORMED_HEADER,
          "malformed header: the authenticated binding is not two 1..255-byte ids and zeros");
    }
    return b;
  }

  /** Reads exactly len bytes or fails with the given message. */
  static void readFully(InputStream in, byte[] b, int len, String what) throws IOException {
    if (in.readNBytes(b, 0, len) < len) {
      throw new EOFException(what);
    }
  }
}
