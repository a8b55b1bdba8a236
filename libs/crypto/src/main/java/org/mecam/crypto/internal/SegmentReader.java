package org.mecam.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * Reads sealed segments from a stream one at a time, reading one segment ahead so it knows which
 * is last, and returns each only after its tag verified; failures name the segment and the cause.
 */
public final class SegmentReader {
  private final InputStream in;
  private final SegmentCipher cipher;
  private final int sealedSize;
  private byte[] cur;
  private int curLen;
  private byte[] next;
  private int nextLen;
  private long index;
  private boolean done;

  public SegmentReader(InputStream in, SegmentCipher cipher, int segmentSize) throws IOException {
    this.in = in;
    this.cipher = cipher;
    this.sealedSize = segmentSize + SegmentCipher.TAG_LENGTH;
    this.cur = new byte[sealedSize];
    this.next = new byte[sealedSize];
    this.nextLen = in.readNBytes(next, 0, sealedSize);
    if (nextLen == 0) {
      throw new EncryptedFileException(
          Kind.TRUNCATED, 0, "truncated: the file ends after the header, before segment 0");
    }
  }

  /** The zero-based index of the segment most recently returned. */
  public long lastIndex() {
    return index - 1;
  }

  public boolean done() {
    return done;
  }

  /**
   * Decrypts the next segment into {@code out} (capacity at least the segment size) and returns
   * its plaintext length; {@link #done()} is true after the final segment has been returned.
   */
  public int next(byte[] out, int outOff) throws IOException {
    if (done) {
      throw new IllegalStateException("final segment already read");
    }
    byte[] t = cur;
    cur = next;
    curLen = nextLen;
    next = t;
    nextLen = curLen == sealedSize ? in.readNBytes(next, 0, sealedSize) : 0;
    boolean last = nextLen == 0;
    long i = index;
    int n = cipher.open(cur, 0, curLen, out, outOff, i, last);
    if (n >= 0) {
      index++;
      done = last;
      return n;
    }
    // The tag failed under the expected flag; trying the other flag tells a clean truncation or
    // appended bytes apart from tampering, at no cost on the success path.
    if (last && cipher.open(cur, 0, curLen, out, outOff, i, false) >= 0) {
      throw new EncryptedFileException(
          Kind.TRUNCATED, i,
          "truncated after segment " + i + ": it is authentic but not the final segment");
    }
    if (!last && cipher.open(cur, 0, curLen, out, outOff, i, true) >= 0) {
      throw new EncryptedFileException(
          Kind.APPENDED_DATA, i,
          "data appended after the final segment " + i);
    }
    if (last && curLen < sealedSize) {
      throw new EncryptedFileException(
          Kind.TAMPERED, i,
          "tampered at segment " + i + " (or truncated inside it): the final " + curLen
              + " bytes fail authentication");
    }
    throw new EncryptedFileException(
        Kind.TAMPERED, i,
        "tampered at segment " + i + ": it fails authentication (changed, swapped or duplicated)");
  }
}
