package org.mecam.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * Reads sealed segments from a stream, about 1 MiB per read, always one byte beyond the current
 * segment so it knows which one is last; returns a segment only after its tag verified, and names
 * the segment and the cause when one fails.
 */
public final class SegmentReader {
  private final InputStream in;
  private final SegmentCipher cipher;
  private final int sealedSize;
  private final byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private long index;
  private boolean done;

  public SegmentReader(InputStream in, SegmentCipher cipher, int segmentSize) throws IOException {
    this.in = in;
    this.cipher = cipher;
    this.sealedSize = segmentSize + SegmentCipher.TAG_LENGTH;
    this.buf = new byte[Math.max(2, (1 << 20) / segmentSize) * sealedSize];
    fill();
    if (end == 0) {
      throw new EncryptedFileException(
          Kind.TRUNCATED, 0, "truncated: the file ends after the header, before segment 0");
    }
  }

  /** Makes at least sealedSize + 1 bytes available unless the stream ends first. */
  private void fill() throws IOException {
    if (eof || end - start > sealedSize) {
      return;
    }
    System.arraycopy(buf, start, buf, 0, end - start);
    end -= start;
    start = 0;
    while (end < buf.length) {
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
        return;
      }
      end += n;
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
   * Decrypts the next segment into {@code out} at {@code outOff} (room for a whole segment) and
   * returns its plaintext length; {@link #done()} is true after the final segment.
   */
  public int next(byte[] out, int outOff) throws IOException {
    if (done) {
      throw new IllegalStateException("final segment already read");
    }
    fill();
    int avail = end - start;
    boolean last = eof && avail <= sealedSize;
    int len = Math.min(avail, sealedSize);
    long i = index;
    int n = cipher.open(buf, start, len, out, outOff, i, last);
    if (n == 0) {
      // Authentic but against §4 (the final segment holds 1..S bytes); no writer makes one.
      throw new EncryptedFileException(
          Kind.MALFORMED_BODY, i,
          "malformed: empty final segment " + i + " (a final segment holds 1..S bytes)");
    }
    if (n >= 0) {
      start += len;
      index++;
      done = last;
      return n;
    }
    // The tag failed under the expected flag; trying the other flag tells a clean truncation or
    // appended bytes apart from tampering, at no cost on the success path.
    if (last && cipher.open(buf, start, len, out, outOff, i, false) >= 0) {
      throw new EncryptedFileException(
          Kind.TRUNCATED, i,
          "truncated after segment " + i + ": it is authentic but not the final segment");
    }
    if (!last && cipher.open(buf, start, len, out, outOff, i, true) >= 0) {
      throw new EncryptedFileException(
          Kind.APPENDED_DATA, i, "data appended after the final segment " + i);
    }
    if (last && len < sealedSize) {
      throw new EncryptedFileException(
          Kind.TAMPERED, i,
          "tampered at segment " + i + " (or truncated inside it): the final " + len
              + " bytes fail authentication");
    }
    throw new EncryptedFileException(
        Kind.TAMPERED, i,
        "tampered at segment " + i + ": it fails authentication (changed, swapped or duplicated)");
  }
}
