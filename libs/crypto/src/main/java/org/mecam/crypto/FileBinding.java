package org.mecam.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an archived file is: the camera and the media id it was sealed for. Format version 2 stores
 * it encrypted in the header and authenticates it with the header MAC (docs/encryption-format.md
 * §2.4), so a file moved under another media id or camera is refused by a reader that expects its
 * own ({@link ExpectedBinding}).
 *
 * <p>Each id is 1..255 bytes of UTF-8 without control characters; mecam's ids are ASCII.
 */
public record FileBinding(String cameraId, String mediaId) {
  /** Size of the encoded binding block before encryption (docs §2.4): both ids at their longest. */
  public static final int ENCODED_LENGTH = 512;
  public static final int MAX_ID_BYTES = 255;

  public FileBinding {
    check("camera id", cameraId);
    check("media id", mediaId);
  }

  public static FileBinding of(String cameraId, String mediaId) {
    return new FileBinding(cameraId, mediaId);
  }

  private static void check(String what, String id) {
    Objects.requireNonNull(id, what);
    byte[] b = id.getBytes(StandardCharsets.UTF_8);
    if (b.length < 1 || b.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException(what + " must be 1..255 UTF-8 bytes");
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        throw new IllegalArgumentException(what + " must not contain control characters");
      }
    }
  }

  /**
   * The 512-byte block: uint8(len(camera)) || camera || uint8(len(media)) || media || zero bytes.
   */
  public byte[] encode() {
    byte[] c = cameraId.getBytes(StandardCharsets.UTF_8);
    byte[] m = mediaId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(ENCODED_LENGTH);
    b.put((byte) c.length).put(c).put((byte) m.length).put(m);
    return b.array();
  }

  /**
   * Parses the 512-byte block, or returns null when it is not well formed (lengths out of range,
   * non-zero padding, bad UTF-8, control characters).
   */
  public static FileBinding decode(byte[] block) {
    if (block.length != ENCODED_LENGTH) {
      return null;
    }
    int lc = block[0] & 0xff;
    if (lc == 0 || 1 + lc + 1 > ENCODED_LENGTH) {
      return null;
    }
    int lm = block[1 + lc] & 0xff;
    int end = 2 + lc + lm;
    if (lm == 0) {
      return null;
    }
    for (int i = end; i < ENCODED_LENGTH; i++) {
      if (block[i] != 0) {
        return null;
      }
    }
    try {
      return new FileBinding(utf8(block, 1, lc), utf8(block, 2 + lc, lm));
    } catch (CharacterCodingException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String utf8(byte[] b, int off, int len) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b, off, len))
        .toString();
  }

  @Override
  public String toString() {
    return "camera '" + cameraId + "', media '" + mediaId + "'";
  }
}
