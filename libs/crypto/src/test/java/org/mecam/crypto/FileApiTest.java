package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mecam.crypto.Fixtures.OWNER;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mecam.crypto.EncryptedFileException.Kind;
import org.mecam.crypto.internal.Header;

/** The file-to-file API: same bytes as the stream API, atomic output, and the hash-check choice. */
class FileApiTest {
  static final int SEG = EncryptionParams.DEFAULT_SEGMENT_SIZE;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, SEG - 1, SEG, SEG + 1, 40 * SEG + 123})
  void fileRoundTripEqualsPlaintextWithAndWithoutHashCheck(int size) throws Exception {
    byte[] plain = Fixtures.random(size, size + 7L);
    Path source = Files.write(dir.resolve("clip.mp4"), plain);
    Path sealed = dir.resolve("clip.mp4.mecam");
    EncryptionResult r = MediaEncryptor.encryptFile(source, sealed, Fixtures.params().build());

    assertThat(Files.size(sealed)).isEqualTo(r.ciphertextSize());
    assertThat(dir.resolve("clip.mp4.mecam.part")).doesNotExist();
    for (ContentHashCheck check : ContentHashCheck.values()) {
      Path out = dir.resolve("out-" + check);
      DecryptedFileSummary s = MediaDecryptor.decryptFile(sealed, out, OWNER, check);
      assertThat(Files.readAllBytes(out)).isEqualTo(plain);
      assertThat(s.plaintextSize()).isEqualTo(size);
      assertThat(s.plaintextSha256()).isEqualTo(r.plaintextSha256());
      assertThat(s.sha256Checked()).isEqualTo(check == ContentHashCheck.CHECK);
      assertThat(s.contentType()).isEqualTo("video/mp4");
    }
    // The file API writes a file the stream API reads, and the other way round.
    assertThat(Fixtures.decrypt(Files.readAllBytes(sealed), OWNER)).isEqualTo(plain);
    Path viaStream = Files.write(dir.resolve("stream.mecam"),
        Fixtures.encrypt(plain, Fixtures.params().build()));
    MediaDecryptor.decryptFile(viaStream, dir.resolve("stream.out"), OWNER, ContentHashCheck.CHECK);
    assertThat(Files.readAllBytes(dir.resolve("stream.out"))).isEqualTo(plain);
  }

  @ParameterizedTest
  @EnumSource(ContentHashCheck.class)
  void tamperedFileLeavesNoPlaintextBehind(ContentHashCheck check) throws Exception {
    byte[] plain = Fixtures.random(5 * SEG, 3);
    Path source = Files.write(dir.resolve("clip.mp4"), plain);
    Path sealed = dir.resolve("clip.mecam");
    MediaEncryptor.encryptFile(source, sealed, Fixtures.params().padding(false).build());
    byte[] bytes = Files.readAllBytes(sealed);
    bytes[bytes.length - 3 * SEG] ^= 1; // inside a segment in the middle of the body
    Files.write(sealed, bytes);
    Path out = dir.resolve("out.mp4");

    EncryptedFileException e = catchThrowableOfType(
        () -> MediaDecryptor.decryptFile(sealed, out, OWNER, check), EncryptedFileException.class);

    assertThat(e.kind()).isEqualTo(Kind.TAMPERED);
    assertThat(e).hasMessageContaining("tampered at segment");
    assertThat(out).doesNotExist();
    assertThat(dir.resolve("out.mp4.part")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(ContentHashCheck.class)
  void truncationAtASegmentBoundaryIsDetectedWithOrWithoutHashCheck(ContentHashCheck check)
      throws Exception {
    byte[] plain = Fixtures.random(5 * SEG, 4);
    Path source = Files.write(dir.resolve("clip.mp4"), plain);
    Path sealed = dir.resolve("clip.mecam");
    MediaEncryptor.encryptFile(source, sealed, Fixtures.params().padding(false).build());
    byte[] bytes = Files.readAllBytes(sealed);
    int header = Header.FIXED_LENGTH + Header.STANZA_LENGTH + Header.MAC_LENGTH;
    Files.write(sealed, Arrays.copyOf(bytes, header + 3 * (SEG + 16))); // segments 0..2 remain

    EncryptedFileException e = catchThrowableOfType(
        () -> MediaDecryptor.decryptFile(sealed, dir.resolve("out"), OWNER, check),
        EncryptedFileException.class);

    assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
    assertThat(e).hasMessageContaining("truncated after segment 2");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void wrongTrustedHashIsCaughtOnlyByTheHashCheck() throws Exception {
    byte[] plain = Fixtures.random(3 * SEG, 5);
    byte[] wrong = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});
    Path source = Files.write(dir.resolve("clip.mp4"), plain);
    Path sealed = dir.resolve("clip.mecam");
    MediaEncryptor.encryptFile(
        source, sealed, Fixtures.params().trustedPlaintextSha256(wrong).build());

    EncryptedFileException e = catchThrowableOfType(
        () -> MediaDecryptor.decryptFile(sealed, dir.resolve("a"), OWNER, ContentHashCheck.CHECK),
        EncryptedFileException.class);
    assertThat(e.kind()).isEqualTo(Kind.HASH_MISMATCH);
    assertThat(dir.resolve("a")).doesNotExist();
    assertThat(catchThrowableOfType(
        () -> MediaDecryptor.verify(new ByteArrayInputStream(Files.readAllBytes(sealed)), OWNER),
        EncryptedFileException.class).kind()).isEqualTo(Kind.HASH_MISMATCH);

    // Authentication alone proves the bytes are what the encryptor sealed, not that the
    // recorded hash describes them: SKIP returns the recorded (authenticated) value, unchecked.
    DecryptedFileSummary s =
        MediaDecryptor.decryptFile(sealed, dir.resolve("b"), OWNER, ContentHashCheck.SKIP);
    assertThat(Files.readAllBytes(dir.resolve("b"))).isEqualTo(plain);
    assertThat(s.sha256Checked()).isFalse();
    assertThat(s.plaintextSha256()).isEqualTo(wrong);
  }

  /**
   * Files of 4 MiB and more are written on a second thread: same plaintext back,
   * the same bytes as the one-thread stream API would decrypt to, compression decided from the
   * first chunk as the stream API decides it, and a write error reaches the caller.
   */
  @Test
  void largeFilesTakeTheThreadedPathAndRoundTrip() throws Exception {
    for (int size : new int[] {4 << 20, (6 << 20) + 12_345}) {
      byte[] plain = Fixtures.random(size, size);
      Path source = Files.write(dir.resolve("big.mp4"), plain);
      Path sealed = dir.resolve("big.mp4.mecam");
      EncryptionResult r = MediaEncryptor.encryptFile(source, sealed,
          Fixtures.params().binding("cam", "big").build());
      assertThat(Files.size(sealed)).isEqualTo(r.ciphertextSize());
      assertThat(r.plaintextSize()).isEqualTo(size);
      assertThat(r.compressed()).isFalse();
      Path out = dir.resolve("big.out");
      DecryptedFileSummary s = MediaDecryptor.decryptFile(sealed, out, OWNER,
          ContentHashCheck.CHECK, ExpectedBinding.of("cam", "big"));
      assertThat(Files.readAllBytes(out)).isEqualTo(plain);
      assertThat(s.plaintextSha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(plain));
    }
    byte[] log = "2026-12-03T17:00:00Z front-door motion score=0.5\n".repeat(120_000)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path source = Files.write(dir.resolve("big.log"), log);
    Path sealed = dir.resolve("big.log.mecam");
    EncryptionResult r = MediaEncryptor.encryptFile(source, sealed,
        Fixtures.params().contentType("text/plain").build());
    assertThat(log.length).isGreaterThan(4 << 20);
    assertThat(r.compressed()).isTrue();
    assertThat(Fixtures.decrypt(Files.readAllBytes(sealed), OWNER)).isEqualTo(log);
  }

  @Test
  void aWriteErrorOnTheWriterThreadReachesTheCaller() throws Exception {
    java.nio.channels.WritableByteChannel broken = new java.nio.channels.WritableByteChannel() {
      int calls;

      @Override
      public int write(java.nio.ByteBuffer src) throws java.io.IOException {
        if (++calls > 2) {
          throw new java.io.IOException("No space left on device");
        }
        int n = src.remaining();
        src.position(src.limit());
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
    org.mecam.crypto.internal.AsyncChannelWriter w =
        new org.mecam.crypto.internal.AsyncChannelWriter(broken, 1 << 20);
    java.io.IOException e = catchThrowableOfType(() -> {
      MediaEncryptor.encrypt(new java.io.ByteArrayInputStream(Fixtures.random(8 << 20, 1)), w,
          Fixtures.params().build());
      w.close();
    }, java.io.IOException.class);
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("No space left on device");
  }
}
