package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mecam.crypto.Fixtures.OWNER;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.crypto.EncryptedFileException.Kind;
import org.mecam.crypto.internal.Header;

/**
 * Format version 2 binds each file to its camera and media id: a file swapped under another media
 * id, or planted (encrypted to the owner's public key) with a made-up id, is refused by every
 * reader that says what it expects, before any plaintext is released; version-1 files still read.
 * On the code before version 2 a swapped file decrypted as the clip it was filed under.
 */
class BindingTest {
  static final FileBinding CLIP_A = FileBinding.of("front-door", "m-20261203-0001");
  static final FileBinding CLIP_B = FileBinding.of("front-door", "m-20261203-0002");

  @TempDir Path dir;

  static byte[] sealed(byte[] plain, FileBinding b) throws Exception {
    return Fixtures.encrypt(plain, Fixtures.params().binding(b).build());
  }

  /** Every way a reader can be asked for {@code expected}; all must fail the same way. */
  void assertRefusedEverywhere(byte[] file, ExpectedBinding expected, Kind kind, String message)
      throws Exception {
    ByteArrayOutputStream released = new ByteArrayOutputStream();
    EncryptedFileException e = catchThrowableOfType(
        () -> MediaDecryptor.decrypt(new ByteArrayInputStream(file), released, OWNER,
            ContentHashCheck.CHECK, expected), EncryptedFileException.class);
    assertThat(e).as("stream decrypt expecting %s", expected).isNotNull();
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).contains(message);
    assertThat(released.size()).as("nothing released").isZero();

    Path f = Files.write(dir.resolve("x.mecam"), file);
    e = catchThrowableOfType(() -> EncryptedFileReader.open(f, OWNER, expected).close(),
        EncryptedFileException.class);
    assertThat(e).as("random access expecting %s", expected).isNotNull();
    assertThat(e.kind()).isEqualTo(kind);

    Path out = dir.resolve("out.mp4");
    e = catchThrowableOfType(() -> MediaDecryptor.decryptFile(f, out, OWNER,
        ContentHashCheck.SKIP, expected), EncryptedFileException.class);
    assertThat(e).as("file to file expecting %s", expected).isNotNull();
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(out).doesNotExist();
    assertThat(dir.resolve("out.mp4.part")).doesNotExist();
  }

  @Test
  void twoSwappedFilesAreEachRefusedUnderTheOthersId() throws Exception {
    byte[] plainA = Fixtures.random(70_000, 1);
    byte[] plainB = Fixtures.random(50_000, 2);
    byte[] fileA = sealed(plainA, CLIP_A);
    byte[] fileB = sealed(plainB, CLIP_B);
    // The swap: the backend now returns B's bytes when asked for A, and A's when asked for B.
    assertRefusedEverywhere(fileB, ExpectedBinding.of(CLIP_A), Kind.WRONG_BINDING,
        "not the clip it claims to be: bound to another media id");
    assertRefusedEverywhere(fileA, ExpectedBinding.of(CLIP_B), Kind.WRONG_BINDING,
        "bound to another media id");
    // Allowing version 1 files does not let a version 2 file of another clip through.
    assertRefusedEverywhere(fileB, ExpectedBinding.of(CLIP_A).orVersion1(), Kind.WRONG_BINDING,
        "media 'm-20261203-0002'");
    // Each still opens as itself, with the binding reported.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecryptedFileSummary s = MediaDecryptor.decrypt(new ByteArrayInputStream(fileA), out, OWNER,
        ContentHashCheck.CHECK, ExpectedBinding.of(CLIP_A));
    assertThat(out.toByteArray()).isEqualTo(plainA);
    assertThat(s.binding()).isEqualTo(CLIP_A);
    assertThat(s.formatVersion()).isEqualTo(2);
    Path f = Files.write(dir.resolve("b.mecam"), fileB);
    try (EncryptedFileReader r = EncryptedFileReader.open(f, OWNER, ExpectedBinding.of(CLIP_B))) {
      ByteBuffer buf = ByteBuffer.allocate(100);
      r.read(10_000, buf);
      assertThat(buf.array()).isEqualTo(java.util.Arrays.copyOfRange(plainB, 10_000, 10_100));
      assertThat(r.binding()).isEqualTo(CLIP_B);
    }
  }

  @Test
  void anotherCameraWithTheSameMediaIdIsRefused() throws Exception {
    byte[] file = sealed(Fixtures.random(1000, 3), FileBinding.of("cam-evil", CLIP_A.mediaId()));
    assertRefusedEverywhere(file, ExpectedBinding.of(CLIP_A), Kind.WRONG_BINDING,
        "bound to another camera");
  }

  @Test
  void aPlantedFileWithAMadeUpIdIsRefused() throws Exception {
    // Anyone with the owner's public key can write a well-formed file: planted footage.
    byte[] planted = Fixtures.encrypt(Fixtures.random(5000, 4),
        EncryptionParams.builder().recipient(OWNER.recipient()).contentType("video/mp4")
            .binding("front-door", "made-up-id").build());
    assertRefusedEverywhere(planted, ExpectedBinding.of(CLIP_A), Kind.WRONG_BINDING,
        "media 'made-up-id'");
    // Planting a version 1 file (no binding at all) is refused too unless version 1 is allowed.
    byte[] v1 = Fixtures.encrypt(Fixtures.random(5000, 5), Fixtures.params().build());
    assertThat(EncryptedFileInfo.read(new ByteArrayInputStream(v1)).version()).isEqualTo(1);
    assertRefusedEverywhere(v1, ExpectedBinding.of(CLIP_A), Kind.UNBOUND,
        "carries no camera or media id");
    assertThat(MediaDecryptor.decrypt(new ByteArrayInputStream(v1), new ByteArrayOutputStream(),
        OWNER, ContentHashCheck.CHECK, ExpectedBinding.of(CLIP_A).orVersion1()).binding())
        .isNull();
  }

  @Test
  void theBindingIsEncryptedAndAuthenticated() throws Exception {
    byte[] file = sealed(new byte[100], CLIP_A);
    int headerLength = Header.length(2, 1);
    assertThat(EncryptedFileInfo.read(new ByteArrayInputStream(file)).headerLength())
        .isEqualTo(headerLength).isEqualTo(20 + 89 + 528 + 32);
    // Not in clear.
    assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("front-door").doesNotContain(CLIP_A.mediaId());
    // Any flip in the sealed binding is a tampered header (the MAC covers it).
    for (int i = 20 + 89; i < 20 + 89 + 528; i += 37) {
      byte[] f = file.clone();
      f[i] ^= 1;
      EncryptedFileException e = catchThrowableOfType(
          () -> Fixtures.decrypt(f, OWNER), EncryptedFileException.class);
      assertThat(e.kind()).as("flip at %d", i).isEqualTo(Kind.HEADER_TAMPERED);
    }
    // Downgrade to version 1 (version byte): header tampered, not "unbound".
    byte[] f = file.clone();
    f[8] = 1;
    assertThat(catchThrowableOfType(() -> MediaDecryptor.decrypt(new ByteArrayInputStream(f),
        new ByteArrayOutputStream(), OWNER, ContentHashCheck.CHECK,
        ExpectedBinding.of(CLIP_A).orVersion1()), EncryptedFileException.class).kind())
        .isEqualTo(Kind.HEADER_TAMPERED);
    // The key-only read of the binding.
    assertThat(MediaDecryptor.readBinding(new ByteArrayInputStream(file), OWNER)).contains(CLIP_A);
    // A stranger learns only that the file is not for their key.
    assertThat(catchThrowableOfType(() -> MediaDecryptor.readBinding(
        new ByteArrayInputStream(file), Fixtures.STRANGER), EncryptedFileException.class).kind())
        .isEqualTo(Kind.NOT_A_RECIPIENT);
  }

  @Test
  void idsAreValidated() {
    assertThatThrownBy(() -> FileBinding.of("", "m")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileBinding.of("c", "x".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileBinding.of("c\n", "m")).isInstanceOf(IllegalArgumentException.class);
    FileBinding longest = FileBinding.of("c".repeat(255), "é".repeat(127) + "x");
    assertThat(FileBinding.decode(longest.encode())).isEqualTo(longest);
    byte[] block = CLIP_A.encode();
    block[511] = 1; // non-zero padding
    assertThat(FileBinding.decode(block)).isNull();
  }

  @Test
  void version1FilesStillDecrypt() throws Exception {
    byte[] v1 = KnownAnswerVectorTest.resource("v1-three-segments-chacha.mecam");
    DecryptedFileSummary s = MediaDecryptor.decrypt(new ByteArrayInputStream(v1),
        new ByteArrayOutputStream(), KnownAnswerVectorTest.OWNER);
    assertThat(s.formatVersion()).isEqualTo(1);
    assertThat(s.binding()).isNull();
  }
}
