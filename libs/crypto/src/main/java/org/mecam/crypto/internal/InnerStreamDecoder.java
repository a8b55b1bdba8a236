package org.mecam.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * Turns authenticated segments back into the payload bytes, in constant memory, although the
 * payload's end is only known from the trailer at the very end of the file.
 *
 * <p>The inner stream is payload || zero padding || trailer. The last {@link Trailer#MAX_LENGTH}
 * bytes seen are always held back (they may be trailer); zero bytes before them are held back only
 * as a count (they may be padding) and released as soon as a non-zero byte shows they were payload.
 */
public final class InnerStreamDecoder extends InputStream {
  private static final int HOLD = Trailer.MAX_LENGTH;

  private final SegmentReader reader;
  private final byte[] work;
  private int heldStart; // held bytes are work[heldStart, heldEnd)
  private int heldEnd;
  private long zerosHeld; // zero bytes just before the held bytes, not yet released
  private long released; // inner bytes handed out (or queued) as payload
  private long decided; // inner bytes before the held bytes

  // Output queue: first zerosOut zeros, then work[outPos, outEnd).
  private long zerosOut;
  private int outPos;
  private int outEnd;
  private Trailer trailer;
  private long segments;

  public InnerStreamDecoder(SegmentReader reader, int segmentSize) {
    this.reader = reader;
    this.work = new byte[HOLD + segmentSize];
  }

  /** The trailer, once the stream has been read to its end. */
  public Trailer trailer() {
    return trailer;
  }

  public long segments() {
    return segments;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (zerosOut == 0 && outPos == outEnd) {
      if (trailer != null) {
        return -1;
      }
      fill();
    }
    if (zerosOut > 0) {
      int n = (int) Math.min(len, zerosOut);
      Arrays.fill(b, off, off + n, (byte) 0);
      zerosOut -= n;
      return n;
    }
    int n = Math.min(len, outEnd - outPos);
    System.arraycopy(work, outPos, b, off, n);
    outPos += n;
    return n;
  }

  private void fill() throws IOException {
    // Move the few held bytes (at most HOLD) to the front, then decrypt right behind them.
    int held = heldEnd - heldStart;
    System.arraycopy(work, heldStart, work, 0, held);
    int n = reader.next(work, held);
    segments++;
    int total = held + n;
    outPos = outEnd = 0;
    if (reader.done()) {
      finishStream(total);
      return;
    }
    int release = Math.max(0, total - HOLD);
    int lastNonZero = release - 1;
    while (lastNonZero >= 0 && work[lastNonZero] == 0) {
      lastNonZero--;
    }
    if (lastNonZero >= 0) {
      // A non-zero byte proves everything before it, including held zeros, is payload.
      zerosOut = zerosHeld;
      outEnd = lastNonZero + 1;
      released += zerosHeld + outEnd;
      zerosHeld = release - outEnd;
    } else {
      zerosHeld += release;
    }
    decided += release;
    heldStart = release;
    heldEnd = total;
  }

  private void finishStream(int total) throws IOException {
    Trailer t = Trailer.parse(work, total);
    long inner = decided + total;
    int trailerLen = t.encodedLength();
    long seg = reader.lastIndex();
    if (t.payloadSize() + t.paddingSize() + trailerLen != inner) {
      throw new EncryptedFileException(
          Kind.CORRUPT_TRAILER, seg,
          "corrupt trailer: payload " + t.payloadSize() + " + padding " + t.paddingSize()
              + " + trailer " + trailerLen + " bytes do not add up to the " + inner
              + " bytes in the file");
    }
    long remaining = t.payloadSize() - released;
    long fromZeros = Math.min(remaining, zerosHeld);
    long fromWork = remaining - fromZeros;
    long padInWork = total - trailerLen - fromWork;
    if (remaining < 0 || padInWork < 0 || (zerosHeld - fromZeros) + padInWork != t.paddingSize()) {
      throw new EncryptedFileException(
          Kind.CORRUPT_TRAILER, seg, "corrupt trailer: payload and padding sizes do not fit");
    }
    for (int i = (int) fromWork; i < fromWork + padInWork; i++) {
      if (work[i] != 0) {
        throw new EncryptedFileException(Kind.CORRUPT_TRAILER, seg, "padding bytes are not zero");
      }
    }
    zerosOut = fromZeros;
    outPos = 0;
    outEnd = (int) fromWork;
    heldStart = heldEnd = 0;
    trailer = t;
  }
}
