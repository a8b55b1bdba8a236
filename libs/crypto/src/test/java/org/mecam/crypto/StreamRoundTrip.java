package org.mecam.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Encrypts a generated stream of N pseudo-random bytes to a file and decrypts it back, comparing
 * on the fly, in constant memory; run as a main under {@code -Xmx64m} to prove the heap bound.
 * Prints one line: {@code bytes=N encryptMBps=.. decryptMBps=.. peakHeapMiB=.. maxHeapMiB=..}.
 */
public final class StreamRoundTrip {
  private StreamRoundTrip() {}

  /** An endless-looking stream of seeded pseudo-random bytes, generated as it is read. */
  static final class GeneratedStream extends InputStream {
    private final SplittableRandom random;
    private long left;
    private final ByteBuffer block = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    GeneratedStream(long size, long seed) {
      this.random = new SplittableRandom(seed);
      this.left = size;
      block.position(block.limit());
    }

    @Override
    public int read() {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      if (!block.hasRemaining()) {
        block.clear();
        while (block.hasRemaining()) {
          block.putLong(random.nextLong());
        }
        block.flip();
      }
      int n = (int) Math.min(Math.min(len, block.remaining()), left);
      block.get(b, off, n);
      left -= n;
      return n;
    }
  }

  /** Compares everything written to it with a regenerated stream. */
  static final class ComparingSink extends OutputStream {
    private final GeneratedStream expected;
    private final byte[] buf = new byte[1 << 16];
    long count;

    ComparingSink(long size, long seed) {
      this.expected = new GeneratedStream(size, seed);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = expected.read(buf, 0, Math.min(len, buf.length));
        if (n <= 0 || !Arrays.equals(buf, 0, n, b, off, off + n)) {
          throw new IOException("plaintext differs near byte " + count);
        }
        count += n;
        off += n;
        len -= n;
      }
    }
  }

  /** Runs the round trip and returns the printed summary line. */
  static String run(long size, Path dir) throws IOException {
    Path file = Files.createTempFile(dir, "roundtrip", ".mecam");
    try {
      EncryptionParams p =
          EncryptionParams.builder()
              .recipient(Fixtures.OWNER.recipient())
              .contentType("video/mp4")
              .build();
      long t0 = System.nanoTime();
      EncryptionResult r;
      try (InputStream in = new GeneratedStream(size, 1);
          OutputStream out = Files.newOutputStream(file)) {
        r = MediaEncryptor.encrypt(in, out, p);
      }
      long t1 = System.nanoTime();
      ComparingSink sink = new ComparingSink(size, 1);
      DecryptedFileSummary s;
      try (InputStream in = Files.newInputStream(file)) {
        s = MediaDecryptor.decrypt(in, sink, Fixtures.OWNER);
      }
      long t2 = System.nanoTime();
      if (sink.count != size || s.plaintextSize() != size
          || !Arrays.equals(s.plaintextSha256(), r.plaintextSha256())) {
        throw new IOException("round trip lost bytes: " + sink.count + " of " + size);
      }
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      return String.format(
          "bytes=%d ciphertext=%d encryptMBps=%.0f decryptMBps=%.0f peakHeapMiB=%.1f maxHeapMiB=%d",
          size, r.ciphertextSize(), size / 1e6 / ((t1 - t0) / 1e9), size / 1e6 / ((t2 - t1) / 1e9),
          peak / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * The same round trip through an in-memory pipe (encrypting thread to decrypting thread), so
   * the test measures the code and its heap rather than the disk of a shared machine.
   */
  static String runPiped(long size) throws Exception {
    EncryptionParams p =
        EncryptionParams.builder().recipient(Fixtures.OWNER.recipient()).contentType("video/mp4").build();
    java.io.PipedInputStream pipeIn = new java.io.PipedInputStream(1 << 20);
    java.io.PipedOutputStream pipeOut = new java.io.PipedOutputStream(pipeIn);
    java.util.concurrent.CompletableFuture<EncryptionResult> enc =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try (InputStream in = new GeneratedStream(size, 1); OutputStream out = pipeOut) {
            return MediaEncryptor.encrypt(in, out, p);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    long t0 = System.nanoTime();
    ComparingSink sink = new ComparingSink(size, 1);
    DecryptedFileSummary s = MediaDecryptor.decrypt(pipeIn, sink, Fixtures.OWNER);
    long t1 = System.nanoTime();
    EncryptionResult r = enc.get();
    if (sink.count != size || !Arrays.equals(s.plaintextSha256(), r.plaintextSha256())) {
      throw new IOException("round trip lost bytes: " + sink.count + " of " + size);
    }
    return String.format(
        "bytes=%d ciphertext=%d pipedMBps=%.0f peakHeapMiB=%.1f maxHeapMiB=%d",
        size, r.ciphertextSize(), size / 1e6 / ((t1 - t0) / 1e9), peakHeapMiB(),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  static double peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / 1048576.0;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[1].equals("--pipe")) {
      System.out.println(runPiped(Long.parseLong(args[0])));
      return;
    }
    long size = Long.parseLong(args[0]);
    Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
    System.out.println(run(size, dir));
  }
}
