package org.mecam.crypto.internal;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * Decompresses a payload that must be exactly one zstd frame (docs/encryption-format.md §5):
 * unlike {@code ZstdInputStream}, which runs on through concatenated frames, it stops where the
 * first frame ends and refuses any byte after it, and refuses a payload that ends inside the frame.
 */
public final class ZstdSingleFrameInputStream extends InputStream {
  private static final int BUF = 1 << 17;

  private final InputStream in;
  private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
  private final ByteBuffer src = ByteBuffer.allocateDirect(BUF).flip();
  private final ByteBuffer dst = ByteBuffer.allocateDirect(BUF).flip();
  private final byte[] copy = new byte[BUF];
  private boolean frameDone;
  private boolean inputEnded;
  private boolean ended;

  public ZstdSingleFrameInputStream(InputStream in) {
    this.in = in;
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
    while (true) {
      if (dst.hasRemaining()) {
        int n = Math.min(len, dst.remaining());
        dst.get(b, off, n);
        return n;
      }
      if (ended) {
        return -1;
      }
      if (frameDone) {
        if (src.hasRemaining() || in.read(copy) >= 0) {
          throw new EncryptedFileException(
              Kind.MALFORMED_BODY,
              "malformed: the compressed payload holds more than one zstd frame (or data after"
                  + " it); it must be exactly one frame");
        }
        ended = true;
        ctx.close();
        return -1;
      }
      if (!src.hasRemaining() && !inputEnded) {
        int n = in.read(copy, 0, copy.length);
        if (n < 0) {
          inputEnded = true;
        } else {
          src.clear();
          src.put(copy, 0, n).flip();
        }
      }
      if (!src.hasRemaining() && inputEnded) {
        throw new EncryptedFileException(
            Kind.MALFORMED_BODY, "malformed: the compressed payload ends inside its zstd frame");
      }
      dst.clear();
      try {
        frameDone = ctx.decompressDirectByteBufferStream(dst, src);
      } catch (ZstdException e) {
        throw new EncryptedFileException(
            Kind.MALFORMED_BODY, "malformed: the compressed payload is not valid zstd ("
                + e.getMessage() + ")");
      }
      dst.flip();
    }
  }

  @Override
  public void close() throws IOException {
    ctx.close();
    in.close();
  }
}
