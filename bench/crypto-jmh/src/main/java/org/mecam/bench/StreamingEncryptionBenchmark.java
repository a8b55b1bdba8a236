package org.mecam.bench;

import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import org.mecam.crypto.ContentHashCheck;
import org.mecam.crypto.EncryptedFileReader;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.crypto.OwnerKeyPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures one thread encrypting and decrypting 256 MiB of incompressible data: the raw JCE
 * AES-256-GCM rate on 64 KiB slices (this CPU's limit), the mecam format in memory and file to
 * file, and Tink's streaming AEAD (AES256_GCM_HKDF_1MB) on the same data. Every operation
 * processes the whole 256 MiB, so MB/s = 268.435456 / (seconds per op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@State(Scope.Benchmark)
public class StreamingEncryptionBenchmark {
  static final int SIZE = 256 << 20;
  static final int SLICE = 64 << 10;

  byte[] plain;
  byte[] sha256;
  OwnerKeyPair owner;
  EncryptionParams computedHash;
  EncryptionParams trustedHash;
  byte[] mecamCiphertext;
  StreamingAead tink;
  byte[] tinkCiphertext;
  Cipher gcm;
  SecretKeySpec gcmKey;
  byte[] gcmOut = new byte[SLICE + 16];
  byte[] nonce = new byte[12];
  long counter;
  Path dir;
  Path plainFile;
  Path mecamFile;
  Path tinkFile;
  Path outFile;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    plain = new byte[SIZE];
    new SplittableRandom(2026).nextBytes(plain);
    sha256 = java.security.MessageDigest.getInstance("SHA-256").digest(plain);
    owner = OwnerKeyPair.generate();
    computedHash = EncryptionParams.builder().recipient(owner.recipient()).contentType("video/mp4").build();
    trustedHash =
        EncryptionParams.builder().recipient(owner.recipient()).contentType("video/mp4")
            .trustedPlaintextSha256(sha256).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE + SIZE / 16);
    MediaEncryptor.encrypt(new ByteArrayInputStream(plain), out, computedHash);
    mecamCiphertext = out.toByteArray();

    StreamingAeadConfig.register();
    tink = KeysetHandle.generateNew(KeyTemplates.get("AES256_GCM_HKDF_1MB"))
        .getPrimitive(StreamingAead.class);
    out = new ByteArrayOutputStream(SIZE + SIZE / 16);
    try (OutputStream enc = tink.newEncryptingStream(out, new byte[0])) {
      enc.write(plain);
    }
    tinkCiphertext = out.toByteArray();

    gcm = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] k = new byte[32];
    new SplittableRandom(1).nextBytes(k);
    gcmKey = new SecretKeySpec(k, "AES");

    String base = System.getProperty("bench.dir",
        Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
    dir = Files.createTempDirectory(Path.of(base), "mecam-bench");
    plainFile = dir.resolve("plain.bin");
    mecamFile = dir.resolve("plain.bin.mecam");
    tinkFile = dir.resolve("plain.bin.tink");
    outFile = dir.resolve("out.bin");
    Files.write(plainFile, plain);
    Files.write(mecamFile, mecamCiphertext);
    Files.write(tinkFile, tinkCiphertext);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    for (Path p : new Path[] {plainFile, mecamFile, tinkFile, outFile, dir.resolve("enc.mecam"),
        dir.resolve("enc.tink"), dir.resolve("enc1.mecam")}) {
      Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }

  /** This CPU's limit: one JCE doFinal per 64 KiB slice, walking the same 256 MiB. */
  @Benchmark
  public int rawAesGcm64KiB() throws Exception {
    int sum = 0;
    for (int off = 0; off < SIZE; off += SLICE) {
      long c = ++counter;
      for (int i = 0; i < 8; i++) {
        nonce[4 + i] = (byte) (c >>> (8 * i));
      }
      gcm.init(Cipher.ENCRYPT_MODE, gcmKey, new GCMParameterSpec(128, nonce));
      sum += gcm.doFinal(plain, off, SLICE, gcmOut, 0);
    }
    return sum;
  }

  /** The uploader's path: SHA-256 already verified while staging, so it is not recomputed. */
  @Benchmark
  public long mecamEncryptMemory() throws IOException {
    return MediaEncryptor.encrypt(
        new ByteArrayInputStream(plain), OutputStream.nullOutputStream(), trustedHash).ciphertextSize();
  }

  /** Default path: the encryptor also computes the plaintext SHA-256 for the trailer. */
  @Benchmark
  public long mecamEncryptMemoryHashing() throws IOException {
    return MediaEncryptor.encrypt(
        new ByteArrayInputStream(plain), OutputStream.nullOutputStream(), computedHash).ciphertextSize();
  }

  /** Decrypt always authenticates every segment and checks the SHA-256. */
  @Benchmark
  public long mecamDecryptMemory() throws IOException {
    return MediaDecryptor.decrypt(
        new ByteArrayInputStream(mecamCiphertext), OutputStream.nullOutputStream(), owner).plaintextSize();
  }

  @Benchmark
  public long tinkEncryptMemory() throws Exception {
    try (OutputStream enc = tink.newEncryptingStream(OutputStream.nullOutputStream(), new byte[0])) {
      for (int off = 0; off < SIZE; off += 1 << 20) {
        enc.write(plain, off, 1 << 20);
      }
    }
    return SIZE;
  }

  @Benchmark
  public long tinkDecryptMemory() throws Exception {
    return drain(tink.newDecryptingStream(new ByteArrayInputStream(tinkCiphertext), new byte[0]),
        OutputStream.nullOutputStream());
  }

  @Benchmark
  public long mecamEncryptFile() throws IOException {
    return MediaEncryptor.encryptFile(plainFile, dir.resolve("enc.mecam"), trustedHash).ciphertextSize();
  }

  /**
   * What {@code encryptFile} did before its writes moved to a second thread: the stream API over
   * the same file channels, everything on the calling thread (same reads and writes).
   */
  @Benchmark
  public long mecamEncryptFileOneThread() throws IOException {
    try (FileChannel in = FileChannel.open(plainFile, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(dir.resolve("enc1.mecam"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      return MediaEncryptor.encrypt(java.nio.channels.Channels.newInputStream(in),
          java.nio.channels.Channels.newOutputStream(out), trustedHash).ciphertextSize();
    }
  }

  @Benchmark
  public long mecamEncryptFileHashing() throws IOException {
    return MediaEncryptor.encryptFile(plainFile, dir.resolve("enc.mecam"), computedHash).ciphertextSize();
  }

  /** The file API, checking the whole-file SHA-256 as the recovery CLI does. */
  @Benchmark
  public long mecamDecryptFile() throws IOException {
    return MediaDecryptor.decryptFile(mecamFile, outFile, owner, ContentHashCheck.CHECK)
        .plaintextSize();
  }

  /**
   * The file API, authenticating every segment and the trailer but not recomputing the SHA-256:
   * the same guarantee Tink's streaming AEAD gives, so this is the like-for-like comparison.
   */
  @Benchmark
  public long mecamDecryptFileAuthOnly() throws IOException {
    return MediaDecryptor.decryptFile(mecamFile, outFile, owner, ContentHashCheck.SKIP)
        .plaintextSize();
  }

  /**
   * No cryptography: the same file channel reads and writes (256 KiB) as the mecam file API, on
   * a file of the plaintext's size. Any file-to-file encryption is slower than this copy.
   */
  @Benchmark
  public long fileCopy() throws IOException {
    try (FileChannel in = FileChannel.open(plainFile, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(outFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 18);
      long total = 0;
      while (in.read(buf.clear()) >= 0) {
        buf.flip();
        total += buf.remaining();
        while (buf.hasRemaining()) {
          out.write(buf);
        }
      }
      return total;
    }
  }

  /**
   * The web UI's path: random-access reader, read front to back in 1 MiB ranges; every segment is
   * authenticated but the whole-file SHA-256 is not recomputed (Tink has no such hash either).
   */
  @Benchmark
  public long mecamReadFileRandomAccess() throws IOException {
    try (EncryptedFileReader r = EncryptedFileReader.open(mecamFile, owner);
        FileChannel out = FileChannel.open(outFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      long pos = 0;
      int n;
      while ((n = r.read(pos, buf.clear())) > 0) {
        out.write(buf.flip());
        pos += n;
      }
      return pos;
    }
  }

  @Benchmark
  public long tinkEncryptFile() throws Exception {
    try (InputStream in = Files.newInputStream(plainFile);
        OutputStream enc = tink.newEncryptingStream(Files.newOutputStream(dir.resolve("enc.tink")), new byte[0])) {
      return drain(in, enc);
    }
  }

  @Benchmark
  public long tinkDecryptFile() throws Exception {
    try (InputStream in = tink.newDecryptingStream(Files.newInputStream(tinkFile), new byte[0]);
        OutputStream out = Files.newOutputStream(outFile)) {
      return drain(in, out);
    }
  }

  /**
   * No cryptography and no user-space copy at all: the kernel copies the file
   * ({@code FileChannel.transferTo}). The most optimistic bound for any file encryption is this
   * copy plus raw AES-GCM: 1 / (1 / fileCopyKernel + 1 / rawAesGcm64KiB).
   */
  @Benchmark
  public long fileCopyKernel() throws IOException {
    try (FileChannel in = FileChannel.open(plainFile, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(outFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long pos = 0;
      long size = in.size();
      while (pos < size) {
        pos += in.transferTo(pos, size - pos, out);
      }
      return pos;
    }
  }

  /** Tink's channel API: file channel in, {@code newEncryptingChannel} over a file channel out. */
  @Benchmark
  public long tinkEncryptFileChannel() throws Exception {
    try (FileChannel in = FileChannel.open(plainFile, StandardOpenOption.READ);
        WritableByteChannel enc = tink.newEncryptingChannel(FileChannel.open(dir.resolve("enc.tink"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING), new byte[0])) {
      return pump(in, enc);
    }
  }

  /** Tink's seekable channel API ({@code newSeekableDecryptingChannel}) read front to back. */
  @Benchmark
  public long tinkDecryptFileChannel() throws Exception {
    try (ReadableByteChannel dec = tink.newSeekableDecryptingChannel(
            FileChannel.open(tinkFile, StandardOpenOption.READ), new byte[0]);
        FileChannel out = FileChannel.open(outFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      return pump(dec, out);
    }
  }

  static long pump(ReadableByteChannel in, WritableByteChannel out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long total = 0;
    while (in.read(buf) >= 0 || buf.position() > 0) {
      buf.flip();
      total += buf.remaining();
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      buf.clear();
    }
    return total;
  }

  static long drain(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[1 << 20];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }
}
