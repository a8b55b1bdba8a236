package org.mecam.crypto.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * The authenticated record at the very end of the encrypted stream: content type, then a fixed
 * 57-byte tail (plaintext size, payload size, padding size, plaintext SHA-256, content type length).
 */
public record Trailer(
    String contentType, long plaintextSize, long payloadSize, long paddingSize, byte[] sha256) {

  public static final int TAIL_LENGTH = 8 + 8 + 8 + 32 + 1;
  public static final int MAX_CONTENT_TYPE_LENGTH = 255;
  public static final int MAX_LENGTH = TAIL_LENGTH + MAX_CONTENT_TYPE_LENGTH;

  /**
   * A valid content type (docs §5): empty, or printable US-ASCII (0x20..0x7E), at most 255 bytes,
   * starting with {@code token "/" token} (RFC 9110 tchar) and followed by nothing or by
   * {@code ";"} parameters (optionally preceded by spaces).
   */
  static final Pattern CONTENT_TYPE = Pattern.compile(
      "([!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+( *;[\\x20-\\x7e]*)?)?");

  public static boolean validContentType(String contentType) {
    return contentType.length() <= MAX_CONTENT_TYPE_LENGTH
        && CONTENT_TYPE.matcher(contentType).matches();
  }

  public static byte[] contentTypeBytes(String contentType) {
    if (!validContentType(contentType)) {
      throw new IllegalArgumentException(
          "invalid content type: it must be type/subtype[;parameters] in printable US-ASCII,"
              + " at most 255 bytes");
    }
    return contentType.getBytes(StandardCharsets.US_ASCII);
  }

  public static int length(String contentType) {
    return TAIL_LENGTH + contentTypeBytes(contentType).length;
  }

  public byte[] encode() {
    byte[] ct = contentTypeBytes(contentType);
    ByteBuffer b = ByteBuffer.allocate(ct.length + TAIL_LENGTH); // big-endian
    b.put(ct).putLong(plaintextSize).putLong(payloadSize).putLong(paddingSize).put(sha256);
    b.put((byte) ct.length);
    return b.array();
  }

  public int encodedLength() {
    return TAIL_LENGTH + contentTypeBytes(contentType).length;
  }

  /** Parses the trailer that ends at {@code end} in {@code buf}. */
  public static Trailer parse(byte[] buf, int end) throws EncryptedFileException {
    if (end < TAIL_LENGTH) {
      throw new EncryptedFileException(Kind.CORRUPT_TRAILER, "trailer shorter than 57 bytes");
    }
    int ctLen = buf[end - 1] & 0xff;
    int start = end - TAIL_LENGTH - ctLen;
    if (start < 0) {
      throw new EncryptedFileException(Kind.CORRUPT_TRAILER, "trailer content type overruns the file");
    }
    ByteBuffer b = ByteBuffer.wrap(buf, start + ctLen, TAIL_LENGTH);
    String ct = new String(buf, start, ctLen, StandardCharsets.ISO_8859_1);
    if (!validContentType(ct)) {
      throw new EncryptedFileException(
          Kind.CORRUPT_TRAILER,
          "corrupt trailer: the content type is not type/subtype[;parameters] in printable US-ASCII");
    }
    long plain = b.getLong();
    long payload = b.getLong();
    long padding = b.getLong();
    byte[] sha = new byte[32];
    b.get(sha);
    if (plain < 0 || payload < 0 || padding < 0) {
      throw new EncryptedFileException(Kind.CORRUPT_TRAILER, "negative size in trailer");
    }
    return new Trailer(ct, plain, payload, padding, sha);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Trailer t
        && t.contentType.equals(contentType)
        && t.plaintextSize == plaintextSize
        && t.payloadSize == payloadSize
        && t.paddingSize == paddingSize
        && Arrays.equals(t.sha256, sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }
}
