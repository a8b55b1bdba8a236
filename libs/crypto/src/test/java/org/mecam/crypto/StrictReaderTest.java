package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mecam.crypto.Fixtures.OWNER;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * The readers are as strict as docs/encryption-format.md: a compressed payload is exactly one zstd
 * frame (§5) and the final segment holds 1..S bytes (§1, §4). Both files below authenticate
 * perfectly (they are sealed with the right keys); only the structure is wrong. Before this test
 * the stream reader accepted both and returned plaintext, and the random-access reader the second.
 */
class StrictReaderTest {
  static final int SEG = 4096;

  @TempDir Path dir;

  static EncryptedFileException streamFailure(byte[] file) {
    return catchThrowableOfType(
        () -> MediaDecryptor.decrypt(
            new ByteArrayInputStream(file), new ByteArrayOutputStream(), OWNER),
        EncryptedFileException.class);
  }

  @Test
  void aPayloadOfTwoZstdFramesIsRefused() throws Exception {
    byte[] a = "first frame\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    byte[] b = "second frame, planted\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    byte[] fa = Zstd.compress(a, 3);
    byte[] fb = Zstd.compress(b, 3);
    byte[] frames = new byte[fa.length + fb.length];
    System.arraycopy(fa, 0, frames, 0, fa.length);
    System.arraycopy(fb, 0, frames, fa.length, fb.length);
    byte[] file = Crafted.file(frames, a.length + b.length, Crafted.sha256(a, b), true, SEG, false,
        null);
    EncryptedFileException e = streamFailure(file);
    assertThat(e).as("two zstd frames must be refused").isNotNull();
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_BODY);
    assertThat(e.getMessage()).contains("more than one zstd frame");

    // One frame, made the same way, reads: the crafting is right and only the second frame is wrong.
    byte[] one = Crafted.file(fa, a.length, Crafted.sha256(a), true, SEG, false, null);
    assertThat(Fixtures.decrypt(one, OWNER)).isEqualTo(a);
    // Bytes after the frame that are not a frame are refused the same way.
    byte[] junk = java.util.Arrays.copyOf(fa, fa.length + 3);
    assertThat(streamFailure(Crafted.file(junk, a.length, Crafted.sha256(a), true, SEG, false,
        null)).kind()).isEqualTo(Kind.MALFORMED_BODY);
    // And a payload that ends inside the frame.
    byte[] cut = java.util.Arrays.copyOf(fa, fa.length - 2);
    assertThat(streamFailure(Crafted.file(cut, a.length, Crafted.sha256(a), true, SEG, false,
        null)).kind()).isEqualTo(Kind.MALFORMED_BODY);
  }

  @Test
  void anEmptyFinalSegmentIsRefusedByBothReaders() throws Exception {
    byte[] plain = Fixtures.random(3 * SEG - 100, 9);
    byte[] file = Crafted.file(plain, plain.length, Crafted.sha256(plain), false, SEG, true, null);
    // header + 3 full segments + one 16-byte segment that is only a tag
    int header = org.mecam.crypto.internal.Header.length(1, 1);
    assertThat(file.length - header).isEqualTo(3 * (SEG + 16) + 16);

    EncryptedFileException e = streamFailure(file);
    assertThat(e).as("an empty final segment must be refused").isNotNull();
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_BODY);
    assertThat(e.getMessage()).contains("empty final segment 3");

    Path f = Files.write(dir.resolve("empty-final.mecam"), file);
    e = catchThrowableOfType(() -> EncryptedFileReader.open(f, OWNER).close(),
        EncryptedFileException.class);
    assertThat(e).as("random access must refuse it too").isNotNull();
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_BODY);

    // Without the empty segment (the final one sealed as last), the same inner stream reads.
    byte[] ok = Crafted.file(plain, plain.length, Crafted.sha256(plain), false, SEG, false, null);
    assertThat(Fixtures.decrypt(ok, OWNER)).isEqualTo(plain);
  }

  @Test
  void aContentTypeThatIsNotAMediaTypeIsRefusedByWriterAndReaders() throws Exception {
    for (String bad : new String[] {"text/html\r\nX-Evil: 1", "vidéo/mp4", "mp4", "/", "a/b c",
        " video/mp4"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> Fixtures.params().contentType(bad).build())
          .as(bad).isInstanceOf(IllegalArgumentException.class);
      byte[] plain = Fixtures.random(100, 1);
      byte[] file = Crafted.file(plain, plain.length, Crafted.sha256(plain), false, SEG, false,
          null, bad.getBytes(StandardCharsets.UTF_8));
      EncryptedFileException e = streamFailure(file);
      assertThat(e).as(bad).isNotNull();
      assertThat(e.kind()).isEqualTo(Kind.CORRUPT_TRAILER);
      assertThat(e.getMessage()).contains("content type");
      Path f = Files.write(dir.resolve("bad-type.mecam"), file);
      assertThat(catchThrowableOfType(() -> EncryptedFileReader.open(f, OWNER).close(),
          EncryptedFileException.class)).as(bad).isNotNull();
    }
    for (String good : new String[] {"", "video/mp4", "text/plain; charset=utf-8",
        "application/vnd.mecam+json;v=1"}) {
      byte[] plain = Fixtures.random(10, 2);
      assertThat(Fixtures.decrypt(Fixtures.encrypt(plain, Fixtures.params().contentType(good)
          .build()), OWNER)).as(good).isEqualTo(plain);
    }
  }
}
