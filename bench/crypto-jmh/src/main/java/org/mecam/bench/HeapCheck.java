package org.mecam.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.mecam.crypto.ContentHashCheck;
import org.mecam.crypto.DecryptedFileSummary;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.EncryptionResult;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.crypto.OwnerKeyPair;

/**
 * Encrypts a generated stream of N bytes to a file and decrypts it again, then does the same with
 * the file-to-file API (decryptFile to a plaintext file, encryptFile of that file), reporting peak
 * heap; run with {@code -Xmx64m} to show that file size does not drive memory.
 */
public final class HeapCheck {
  private HeapCheck() {}

  /** Seeded pseudo-random bytes made as they are read, so nothing large is ever held. */
  static final class Generated extends InputStream {
    private final SplittableRandom random = new SplittableRandom(7);
    private final ByteBuffer block = ByteBuffer.allocate(1 << 16);
    private long left;

    Generated(long size) {
      left = size;
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

  public static void main(String[] args) throws Exception {
    long size = args.length > 0 ? Long.parseLong(args[0]) : 2L << 30;
    Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
    OwnerKeyPair owner = OwnerKeyPair.generate();
    Path file = Files.createTempFile(dir, "heapcheck", ".mecam");
    try {
      long t0 = System.nanoTime();
      EncryptionResult r;
      try (InputStream in = new Generated(size); OutputStream out = Files.newOutputStream(file)) {
        r = MediaEncryptor.encrypt(in, out,
            EncryptionParams.builder().recipient(owner.recipient()).contentType("video/mp4").build());
      }
      long t1 = System.nanoTime();
      MessageDigest check = MessageDigest.getInstance("SHA-256");
      DecryptedFileSummary s;
      try (InputStream in = Files.newInputStream(file)) {
        s = MediaDecryptor.decrypt(in, new OutputStream() {
          @Override
          public void write(int b) {
            check.update((byte) b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            check.update(b, off, len);
          }
        }, owner);
      }
      long t2 = System.nanoTime();
      if (s.plaintextSize() != size || !Arrays.equals(check.digest(), r.plaintextSha256())) {
        throw new IOException("round trip mismatch");
      }
      // The file API: decrypt to a plaintext file, encrypt that file again, compare hashes.
      Path plainFile = dir.resolve(file.getFileName() + ".plain");
      Path again = dir.resolve(file.getFileName() + ".again");
      long t3;
      long t4;
      try {
        DecryptedFileSummary fs =
            MediaDecryptor.decryptFile(file, plainFile, owner, ContentHashCheck.CHECK);
        t3 = System.nanoTime();
        EncryptionResult fr = MediaEncryptor.encryptFile(plainFile, again,
            EncryptionParams.builder().recipient(owner.recipient()).contentType("video/mp4").build());
        t4 = System.nanoTime();
        if (fs.plaintextSize() != size || !Arrays.equals(fr.plaintextSha256(), r.plaintextSha256())
            || Files.size(again) != fr.ciphertextSize()) {
          throw new IOException("file API round trip mismatch");
        }
      } finally {
        Files.deleteIfExists(plainFile);
        Files.deleteIfExists(again);
      }
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf(
          "plaintext=%d ciphertext=%d maxHeapMiB=%d peakHeapUsedMiB=%.1f encryptMBps=%.0f"
              + " decryptMBps=%.0f decryptFileMBps=%.0f encryptFileMBps=%.0f%n",
          size, r.ciphertextSize(), Runtime.getRuntime().maxMemory() >> 20, peak / 1048576.0,
          size / 1e6 / ((t1 - t0) / 1e9), size / 1e6 / ((t2 - t1) / 1e9),
          size / 1e6 / ((t3 - t2) / 1e9), size / 1e6 / ((t4 - t3) / 1e9));
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
