package org.mecam.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.mecam.crypto.internal.AsyncChannelWriter;
import org.mecam.crypto.internal.CompressionPolicy;
import org.mecam.crypto.internal.SegmentWriter;

/**
 * Entry point for writing mecam encrypted files: streams plaintext to ciphertext in constant
 * memory and holds only public keys, so it can run unattended.
 */
public final class MediaEncryptor {
  /** Read size: big enough that most segments are sealed straight from this buffer. */
  private static final int CHUNK = 1 << 20;
  /** Files from this size on are written on a second thread (below, a thread is not worth it). */
  static final long ASYNC_WRITE_MIN = 4L << 20;

  private MediaEncryptor() {}

  /**
   * Encrypts all of {@code plaintext} to {@code out} (neither is closed) and returns sizes and
   * the plaintext SHA-256.
   */
  public static EncryptionResult encrypt(
      InputStream plaintext, OutputStream out, EncryptionParams params) throws IOException {
    byte[] buf = new byte[CHUNK];
    int first = plaintext.readNBytes(buf, 0, CompressionPolicy.SAMPLE_BYTES);
    boolean compress =
        CompressionPolicy.shouldCompress(params.compression(), params.contentType(), buf, first);
    EncryptingOutputStream enc = new EncryptingOutputStream(out, params, compress);
    enc.write(buf, 0, first);
    if (first == CompressionPolicy.SAMPLE_BYTES) {
      int n;
      while ((n = plaintext.read(buf)) != -1) {
        enc.write(buf, 0, n);
      }
    }
    enc.finish();
    return enc.result();
  }

  /**
   * Opens a stream that encrypts what is written to it; the caller decides compression because
   * no sample is available up front (media: {@code false}).
   */
  public static EncryptingOutputStream openStream(
      OutputStream out, EncryptionParams params, boolean compress) throws IOException {
    return new EncryptingOutputStream(out, params, compress);
  }

  /**
   * Encrypts a file to a new file, written beside the target and moved into place at the end.
   * File channels on both sides, reads and writes of a few segments each (see
   * docs/benchmarks.md, "Encryption", for the variants measured, memory mapping among them).
   */
  public static EncryptionResult encryptFile(Path source, Path target, EncryptionParams params)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    try {
      EncryptionResult r;
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        if (in.size() < ASYNC_WRITE_MIN) {
          r = encrypt(Channels.newInputStream(in), Channels.newOutputStream(out), params);
        } else {
          // Sealing overlaps the writes: the write system calls, and the JDK's copy into its
          // direct buffer, run on a second thread. Reading ahead on a third thread was measured
          // slower (the chunks then cross cores before sealing): docs/benchmarks.md, "Encryption".
          AsyncChannelWriter w = new AsyncChannelWriter(
              out, SegmentWriter.batchBytes(1 << params.segmentLog()));
          try {
            r = encrypt(Channels.newInputStream(in), w, params);
          } catch (IOException | RuntimeException | Error e) {
            try {
              w.close();
            } catch (IOException suppressed) {
              e.addSuppressed(suppressed);
            }
            throw e;
          }
          w.close(); // waits for the last writes and rethrows a write error
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
