package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mecam.crypto.Fixtures.OWNER;
import static org.mecam.crypto.Fixtures.BACKUP;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.bouncycastle.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mecam.crypto.internal.Padme;

/** Round trips at every segment edge, both suites, padding, compression and random access. */
class RoundTripTest {
  static final int SEG = EncryptionParams.DEFAULT_SEGMENT_SIZE;

  @ParameterizedTest(name = "{0} bytes, {1}, padding {2}")
  @CsvSource({
    "0, AES_256_GCM, false", "0, CHACHA20_POLY1305, true",
    "1, AES_256_GCM, false", "1, AES_256_GCM, true",
    "65535, AES_256_GCM, false", "65536, AES_256_GCM, false", "65537, AES_256_GCM, false",
    "65535, CHACHA20_POLY1305, true", "65536, AES_256_GCM, true", "65537, CHACHA20_POLY1305, false",
    "65279, AES_256_GCM, false", "65280, AES_256_GCM, false", "65478, AES_256_GCM, false",
    "655363, AES_256_GCM, true", "655363, CHACHA20_POLY1305, false", "3000000, AES_256_GCM, true"
  })
  void decryptsWhatItEncryptedAtEverySegmentEdge(int size, Suite suite, boolean padding)
      throws Exception {
    byte[] plain = Fixtures.random(size, size);
    EncryptionParams p = Fixtures.params().suite(suite).padding(padding).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = MediaEncryptor.encrypt(new ByteArrayInputStream(plain), out, p);
    byte[] file = out.toByteArray();

    assertThat(r.ciphertextSize()).isEqualTo(file.length);
    assertThat(r.plaintextSize()).isEqualTo(size);
    assertThat(r.plaintextSha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(plain));
    assertThat(r.compressed()).isFalse();
    DecryptingInputStream in = MediaDecryptor.decrypt(new ByteArrayInputStream(file), OWNER);
    assertThat(in.readAllBytes()).isEqualTo(plain);
    assertThat(in.summary().contentType()).isEqualTo("video/mp4");
    assertThat(in.summary().plaintextSha256()).isEqualTo(r.plaintextSha256());
    if (padding) {
      long inner = size + 57 + "video/mp4".length();
      assertThat(r.paddingSize()).isEqualTo(Padme.paddedLength(inner) - inner);
    } else {
      assertThat(r.paddingSize()).isZero();
    }
  }

  @Test
  void payloadEndingInZerosSurvivesPaddingLookahead() throws Exception {
    // Zero runs are held back as a count until a non-zero byte or the trailer decides them.
    for (int size : new int[] {1, 500, SEG - 1, SEG, 3 * SEG + 7, 5 * SEG}) {
      byte[] plain = new byte[size];
      plain[0] = 7;
      byte[] file = Fixtures.encrypt(plain, Fixtures.params().build());
      assertThat(Fixtures.decrypt(file, OWNER)).as("size %d", size).isEqualTo(plain);
      byte[] zeros = new byte[size];
      file = Fixtures.encrypt(zeros, Fixtures.params().build());
      assertThat(Fixtures.decrypt(file, OWNER)).as("zeros %d", size).isEqualTo(zeros);
    }
  }

  @Test
  void readsByteAtATimeAndInOddChunks() throws Exception {
    byte[] plain = Fixtures.random(2 * SEG + 1000, 9);
    byte[] file = Fixtures.encrypt(plain, Fixtures.params().build());
    DecryptingInputStream in = MediaDecryptor.decrypt(new ByteArrayInputStream(file), OWNER);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    int i = 0;
    byte[] chunk = new byte[777];
    while (true) {
      if (i++ % 2 == 0) {
        b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
      } else {
        int n = in.read(chunk);
        if (n < 0) {
          break;
        }
        out.write(chunk, 0, n);
      }
    }
    assertThat(out.toByteArray()).isEqualTo(plain);
  }

  @Test
  void compressesTextButNotMedia() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      log.append("2026-11-26T04:00:").append(i % 60).append(" camera-1 motion score=0.").append(i % 97).append('\n');
    }
    byte[] text = log.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r =
        MediaEncryptor.encrypt(
            new ByteArrayInputStream(text), out,
            Fixtures.params().contentType("text/plain").build());
    assertThat(r.compressed()).isTrue();
    assertThat(r.ciphertextSize()).isLessThan(text.length / 3);
    DecryptingInputStream in = MediaDecryptor.decrypt(new ByteArrayInputStream(out.toByteArray()), OWNER);
    assertThat(in.readAllBytes()).isEqualTo(text);
    assertThat(in.summary().compressed()).isTrue();

    r = MediaEncryptor.encrypt(
        new ByteArrayInputStream(text), new ByteArrayOutputStream(),
        Fixtures.params().contentType("video/mp4").build());
    assertThat(r.compressed()).as("media types are never compressed").isFalse();
    r = MediaEncryptor.encrypt(
        new ByteArrayInputStream(Fixtures.random(200_000, 1)), new ByteArrayOutputStream(),
        Fixtures.params().contentType("application/octet-stream").build());
    assertThat(r.compressed()).as("random bytes do not shrink").isFalse();
  }

  @Test
  void everyRecipientOpensTheFileAndOthersDoNot() throws Exception {
    byte[] plain = Fixtures.random(1000, 3);
    byte[] file =
        Fixtures.encrypt(plain, Fixtures.params().recipient(BACKUP.recipient()).build());
    assertThat(Fixtures.decrypt(file, OWNER)).isEqualTo(plain);
    assertThat(Fixtures.decrypt(file, BACKUP)).isEqualTo(plain);
    EncryptedFileInfo info = EncryptedFileInfo.read(new ByteArrayInputStream(file));
    assertThat(info.recipientKeyIds())
        .containsExactly(OWNER.recipient().keyIdHex(), BACKUP.recipient().keyIdHex());
    assertThat(info.segmentSize()).isEqualTo(SEG);
    assertThat(info.suite()).isEqualTo(Suite.AES_256_GCM);
  }

  @Test
  void randomAccessReadsEqualPlaintextSlices() throws Exception {
    for (boolean padding : new boolean[] {true, false}) {
      byte[] plain = Fixtures.random(7 * SEG + 1234, 5);
      byte[] file = Fixtures.encrypt(plain, Fixtures.params().padding(padding).build());
      try (EncryptedFileReader r =
          EncryptedFileReader.open(new InMemoryChannel(file), OWNER)) {
        assertThat(r.plaintextSize()).isEqualTo(plain.length);
        assertThat(r.contentType()).isEqualTo("video/mp4");
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 300; i++) {
          int off = rnd.nextInt(plain.length + 10);
          int len = rnd.nextInt(3 * SEG);
          ByteBuffer dst = ByteBuffer.allocate(len);
          int n = r.read(off, dst);
          int expected = Math.max(0, Math.min(len, plain.length - off));
          if (off >= plain.length && len > 0) {
            assertThat(n).isEqualTo(-1);
          } else {
            assertThat(n).isEqualTo(expected);
            assertThat(Arrays.copyOf(dst.array(), n))
                .isEqualTo(Arrays.copyOfRange(plain, off, off + n));
          }
        }
        // Edges: first byte, segment boundaries, last byte.
        for (long off : new long[] {0, SEG - 1, SEG, 2L * SEG, plain.length - 1}) {
          ByteBuffer one = ByteBuffer.allocate(1);
          assertThat(r.read(off, one)).isEqualTo(1);
          assertThat(one.get(0)).isEqualTo(plain[(int) off]);
        }
      }
    }
  }

  @Test
  void randomAccessReadsOnlyTheSegmentsItNeeds() throws Exception {
    byte[] plain = Fixtures.random(40 * SEG, 8);
    byte[] file = Fixtures.encrypt(plain, Fixtures.params().padding(false).build());
    InMemoryChannel ch = new InMemoryChannel(file);
    try (EncryptedFileReader r = EncryptedFileReader.open(ch, OWNER)) {
      long afterOpen = ch.bytesRead();
      r.read(20L * SEG + 5, ByteBuffer.allocate(100));
      assertThat(ch.bytesRead() - afterOpen).isEqualTo(SEG + 16);
      // header + final segment (+ the one before it only if the trailer spans two segments)
      assertThat(afterOpen).isLessThan(3L * (SEG + 16) + 4096);
    }
  }

  @Test
  void encryptingStreamMatchesOneShotEncryption() throws Exception {
    byte[] plain = Fixtures.random(3 * SEG + 99, 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EncryptingOutputStream enc =
        MediaEncryptor.openStream(out, Fixtures.params().build(), false)) {
      for (int i = 0; i < plain.length; i += 1000) {
        enc.write(plain, i, Math.min(1000, plain.length - i));
      }
      enc.finish();
      assertThat(enc.result().plaintextSize()).isEqualTo(plain.length);
    }
    assertThat(Fixtures.decrypt(out.toByteArray(), OWNER)).isEqualTo(plain);
  }
}
