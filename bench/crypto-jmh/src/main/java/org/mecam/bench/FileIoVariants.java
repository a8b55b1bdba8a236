package org.mecam.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The I/O designs considered for file-to-file encryption, reduced to their essentials (64 KiB
 * AES-256-GCM segments, no header or trailer) so only the data path differs: heap buffers through
 * file channels (what the library does), memory-mapped input and/or output, and AES-GCM on direct
 * buffers. Interleaved, best of 4 after 2 warm-up rounds, MB/s per CPU second of this thread.
 * Usage: {@code java -cp crypto-benchmarks.jar org.mecam.bench.FileIoVariants [dir]}.
 */
public final class FileIoVariants {
  static final int SIZE = 256 << 20;
  static final int SEG = 64 << 10;
  static final int SEALED = SEG + 16;
  static final int BATCH = 16;

  private final Cipher gcm;
  private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
  private final byte[] nonce = new byte[12];
  private final Path plain;
  private final Path out;
  private long counter;

  private FileIoVariants(Path dir) throws Exception {
    gcm = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] data = new byte[SIZE];
    new SplittableRandom(1).nextBytes(data);
    plain = Files.write(dir.resolve("variants-plain.bin"), data);
    out = dir.resolve("variants-out.bin");
  }

  private void init() throws Exception {
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (c >>> (8 * i));
    }
    gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
  }

  private FileChannel openOut(boolean read) throws IOException {
    return read
        ? FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
        : FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** The library's path: read 1 MiB into a heap array, seal 16 segments, one write. */
  void heapChannels() throws Exception {
    try (FileChannel in = FileChannel.open(plain); FileChannel o = openOut(false)) {
      byte[] pin = new byte[BATCH * SEG];
      byte[] sealed = new byte[BATCH * SEALED];
      ByteBuffer r = ByteBuffer.wrap(pin);
      while (true) {
        r.clear();
        while (r.hasRemaining() && in.read(r) >= 0) {
          // fill
        }
        int got = r.position();
        int n = 0;
        for (int off = 0; off < got; off += SEG) {
          init();
          n += gcm.doFinal(pin, off, Math.min(SEG, got - off), sealed, n);
        }
        writeFully(o, ByteBuffer.wrap(sealed, 0, n));
        if (got < pin.length) {
          return;
        }
      }
    }
  }

  /** Mapped input copied segment by segment into a heap array; heap output as above. */
  void mappedInHeapOut() throws Exception {
    try (FileChannel in = FileChannel.open(plain); FileChannel o = openOut(false)) {
      MappedByteBuffer m = in.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
      byte[] pin = new byte[SEG];
      byte[] sealed = new byte[BATCH * SEALED];
      int n = 0;
      for (int off = 0; off < SIZE; off += SEG) {
        m.get(off, pin, 0, SEG);
        init();
        n += gcm.doFinal(pin, 0, SEG, sealed, n);
        if (n + SEALED > sealed.length) {
          writeFully(o, ByteBuffer.wrap(sealed, 0, n));
          n = 0;
        }
      }
      writeFully(o, ByteBuffer.wrap(sealed, 0, n));
    }
  }

  /** Mapped input, output pre-sized and mapped: no read or write syscalls at all. */
  void mappedInMappedOut() throws Exception {
    try (FileChannel in = FileChannel.open(plain); FileChannel o = openOut(true)) {
      MappedByteBuffer m = in.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
      MappedByteBuffer mo = o.map(FileChannel.MapMode.READ_WRITE, 0, (long) SIZE / SEG * SEALED);
      byte[] pin = new byte[SEG];
      byte[] sealed = new byte[SEALED];
      int pos = 0;
      for (int off = 0; off < SIZE; off += SEG) {
        m.get(off, pin, 0, SEG);
        init();
        int n = gcm.doFinal(pin, 0, SEG, sealed, 0);
        mo.put(pos, sealed, 0, n);
        pos += n;
      }
    }
  }

  /** Mapped input handed to JCE as a ByteBuffer, sealed into a direct buffer, direct writes. */
  void mappedInDirectCipher() throws Exception {
    try (FileChannel in = FileChannel.open(plain); FileChannel o = openOut(false)) {
      MappedByteBuffer m = in.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
      ByteBuffer sealed = ByteBuffer.allocateDirect(BATCH * SEALED);
      for (int off = 0; off < SIZE; off += SEG) {
        init();
        gcm.doFinal(m.slice(off, SEG), sealed);
        if (sealed.remaining() < SEALED) {
          writeFully(o, sealed.flip());
          sealed.clear();
        }
      }
      writeFully(o, sealed.flip());
    }
  }

  /** Direct buffers end to end: channel reads into direct memory, JCE on direct buffers. */
  void directChannels() throws Exception {
    try (FileChannel in = FileChannel.open(plain); FileChannel o = openOut(false)) {
      ByteBuffer pin = ByteBuffer.allocateDirect(BATCH * SEG);
      ByteBuffer sealed = ByteBuffer.allocateDirect(BATCH * SEALED);
      while (true) {
        pin.clear();
        while (pin.hasRemaining() && in.read(pin) >= 0) {
          // fill
        }
        int got = pin.position();
        pin.flip();
        sealed.clear();
        for (int off = 0; off < got; off += SEG) {
          init();
          gcm.doFinal(pin.slice(off, Math.min(SEG, got - off)), sealed);
        }
        writeFully(o, sealed.flip());
        if (got < BATCH * SEG) {
          return;
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/dev/shm"), "variants");
    FileIoVariants v = new FileIoVariants(dir);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> best = new LinkedHashMap<>();
    String[] ops = {
      "heapChannels", "mappedInHeapOut", "mappedInMappedOut", "mappedInDirectCipher", "directChannels"
    };
    try {
      for (int round = 0; round < 6; round++) {
        for (String op : ops) {
          long c = mx.getCurrentThreadCpuTime();
          switch (op) {
            case "heapChannels" -> v.heapChannels();
            case "mappedInHeapOut" -> v.mappedInHeapOut();
            case "mappedInMappedOut" -> v.mappedInMappedOut();
            case "mappedInDirectCipher" -> v.mappedInDirectCipher();
            case "directChannels" -> v.directChannels();
            default -> throw new IllegalArgumentException(op);
          }
          long d = mx.getCurrentThreadCpuTime() - c;
          if (round >= 2) {
            best.merge(op, d, Math::min);
          }
        }
        System.gc(); // unmaps the previous round's mappings
      }
    } finally {
      Files.deleteIfExists(v.plain);
      Files.deleteIfExists(v.out);
      Files.deleteIfExists(dir);
    }
    System.out.println("| file encryption data path (64 KiB segments) | MB/s per CPU second |");
    System.out.println("|---|---|");
    best.forEach((k, d) -> System.out.printf("| %s | %.0f |%n", k, SIZE / 1e6 / (d / 1e9)));
  }
}
