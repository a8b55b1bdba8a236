package org.mecam.crypto.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Cuts the inner stream (payload, padding, trailer) into fixed-size segments, seals each as soon
 * as it is known not to be the last one, and writes sealed segments in batches of about 1 MiB.
 */
public final class SegmentWriter extends OutputStream {
  private final OutputStream out;
  private final SegmentCipher cipher;
  private final int segmentSize;
  private final byte[] buf;
  /** Sealed segments are batched so a file sees one write per ~1 MiB, not per segment. */
  private byte[] sealed;
  /** When set, full batches are handed to its thread instead of written here. */
  private final AsyncChannelWriter async;
  private final int sealedSize;
  private int sealedPos;
  private int pos;
  private long index;
  private long written;
  private long innerLength;
  private boolean closed;

  public SegmentWriter(OutputStream out, SegmentCipher cipher, int segmentSize) {
    this.out = out;
    this.cipher = cipher;
    this.segmentSize = segmentSize;
    this.buf = new byte[segmentSize];
    this.sealedSize = segmentSize + SegmentCipher.TAG_LENGTH;
    this.sealed = new byte[batchBytes(segmentSize)];
    this.async = out instanceof AsyncChannelWriter a ? a : null;
  }

  /** Bytes of sealed segments written at once: about 1 MiB of whole segments. */
  public static int batchBytes(int segmentSize) {
    return Math.max(1, (1 << 20) / segmentSize) * (segmentSize + SegmentCipher.TAG_LENGTH);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    innerLength += len;
    while (len > 0) {
      if (pos == segmentSize) {
        // More bytes are arriving, so the buffered segment is not the last one.
        emit(buf, 0, segmentSize, false);
        pos = 0;
      }
      if (pos == 0 && len > segmentSize) {
        // Seal straight from the caller's array: no copy, and at least one byte follows.
        emit(b, off, segmentSize, false);
        off += segmentSize;
        len -= segmentSize;
        continue;
      }
      int n = Math.min(segmentSize - pos, len);
      System.arraycopy(b, off, buf, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  private void emit(byte[] b, int off, int len, boolean last) throws IOException {
    if (sealedPos + sealedSize > sealed.length) {
      drain();
    }
    int n = cipher.seal(b, off, len, sealed, sealedPos, index++, last);
    sealedPos += n;
    written += n;
  }

  private void drain() throws IOException {
    if (sealedPos == 0) {
      return;
    }
    if (async != null) {
      sealed = async.handOff(sealed, sealedPos);
    } else {
      out.write(sealed, 0, sealedPos);
    }
    sealedPos = 0;
  }

  /** Writes the segments sealed so far (the open one stays buffered: it may be the last). */
  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  /** Seals the buffered bytes as the final segment; the inner stream is never empty. */
  public void finish() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    emit(buf, 0, pos, true);
    drain();
    out.flush();
  }

  public long bodyBytesWritten() {
    return written;
  }

  public long innerLength() {
    return innerLength;
  }

  public long segments() {
    return index;
  }
}
