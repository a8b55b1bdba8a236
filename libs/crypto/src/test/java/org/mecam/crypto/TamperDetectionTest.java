package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mecam.crypto.Fixtures.OWNER;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mecam.crypto.EncryptedFileException.Kind;
import org.mecam.crypto.internal.Header;

/** Every flip, cut, swap, duplicate and append fails closed with a message naming the problem. */
class TamperDetectionTest {
  static final int SEG = 4096; // small segments keep the every-byte sweep fast
  static final int SEALED = SEG + 16;
  static byte[] plain;
  static byte[] file;
  static int headerLength;
  static int segments;

  @BeforeAll
  static void encryptOnce() throws IOException {
    plain = Fixtures.random(3 * SEG + 500, 42);
    file =
        Fixtures.encrypt(
            plain,
            Fixtures.params().segmentSize(SEG).padding(false)
                .recipient(Fixtures.BACKUP.recipient()).build());
    headerLength = Header.FIXED_LENGTH + 2 * Header.STANZA_LENGTH + Header.MAC_LENGTH;
    segments = (file.length - headerLength + SEALED - 1) / SEALED;
    assertThat(segments).isEqualTo(4);
  }

  /** Decrypts, returning what was released before the failure, and the failure. */
  static Object[] attempt(byte[] f) {
    ByteArrayOutputStream released = new ByteArrayOutputStream();
    Throwable t;
    try {
      MediaDecryptor.decrypt(new ByteArrayInputStream(f), released, OWNER);
      t = null;
    } catch (Throwable e) {
      t = e;
    }
    return new Object[] {released.toByteArray(), t};
  }

  @Test
  void everySingleByteFlipIsDetectedAndNothingUnauthenticatedIsReleased() {
    for (int i = 0; i < file.length; i++) {
      byte[] f = file.clone();
      f[i] ^= 0x01;
      Object[] r = attempt(f);
      byte[] released = (byte[]) r[0];
      assertThat((Throwable) r[1]).as("flip at byte %d", i).isInstanceOf(EncryptedFileException.class);
      // Only whole segments that authenticated may have been released, and they are the truth.
      assertThat(released).as("flip at %d", i)
          .isEqualTo(Arrays.copyOf(plain, released.length));
      if (i >= headerLength) {
        int seg = (i - headerLength) / SEALED;
        EncryptedFileException e = (EncryptedFileException) r[1];
        assertThat(e.kind()).isEqualTo(Kind.TAMPERED);
        assertThat(e.getMessage()).startsWith("tampered at segment " + seg);
        assertThat(released.length).isLessThanOrEqualTo(seg * SEG);
      }
    }
  }

  @Test
  void headerFlipsNameTheHeader() {
    byte[] f = file.clone();
    f[headerLength - 1] ^= 1; // inside the MAC
    assertThat(((EncryptedFileException) attempt(f)[1]).kind()).isEqualTo(Kind.HEADER_TAMPERED);
    f = file.clone();
    f[Header.FIXED_LENGTH + Header.STANZA_LENGTH + 20] ^= 1; // the backup's stanza, not ours
    assertThat(((EncryptedFileException) attempt(f)[1]).getMessage())
        .contains("header tampered");
    f = file.clone();
    f[0] = 'X';
    assertThat(((EncryptedFileException) attempt(f)[1]).getMessage()).startsWith("not a mecam file");
    f = file.clone();
    f[8] = 9;
    assertThat(((EncryptedFileException) attempt(f)[1]).getMessage())
        .startsWith("unknown format version 9");
  }

  @Test
  void truncationAtEverySegmentBoundaryIsDetected() {
    for (int k = 1; k < segments; k++) {
      byte[] f = Arrays.copyOf(file, headerLength + k * SEALED);
      EncryptedFileException e = (EncryptedFileException) attempt(f)[1];
      assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
      assertThat(e.getMessage()).startsWith("truncated after segment " + (k - 1));
    }
    EncryptedFileException e =
        (EncryptedFileException) attempt(Arrays.copyOf(file, headerLength))[1];
    assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
    for (int cut = headerLength + 1; cut < file.length; cut += 997) {
      assertThat(attempt(Arrays.copyOf(file, cut))[1]).isInstanceOf(EncryptedFileException.class);
    }
  }

  @Test
  void swappedAndDuplicatedSegmentsAreDetected() {
    byte[] swapped = file.clone();
    System.arraycopy(file, headerLength + SEALED, swapped, headerLength, SEALED);
    System.arraycopy(file, headerLength, swapped, headerLength + SEALED, SEALED);
    EncryptedFileException e = (EncryptedFileException) attempt(swapped)[1];
    assertThat(e.kind()).isEqualTo(Kind.TAMPERED);
    assertThat(e.segment()).isZero();

    byte[] duplicated = new byte[file.length + SEALED];
    System.arraycopy(file, 0, duplicated, 0, headerLength + 2 * SEALED);
    System.arraycopy(file, headerLength + SEALED, duplicated, headerLength + 2 * SEALED,
        file.length - headerLength - SEALED);
    e = (EncryptedFileException) attempt(duplicated)[1];
    assertThat(e.kind()).isEqualTo(Kind.TAMPERED);
    assertThat(e.segment()).isEqualTo(2);
  }

  @Test
  void appendedDataIsDetected() {
    byte[] f = Arrays.copyOf(file, file.length + 5);
    assertThat(attempt(f)[1]).isInstanceOf(EncryptedFileException.class);
    // A whole extra segment's worth after the final one names the final segment.
    byte[] g = Arrays.copyOf(file, file.length + SEALED);
    EncryptedFileException e = (EncryptedFileException) attempt(g)[1];
    assertThat(e.kind()).isIn(Kind.APPENDED_DATA, Kind.TAMPERED);
    // Appending after a full-length final segment is the clean case: named precisely.
    byte[] full = Fixtures.random(2 * SEG - 57 - 9, 1);
    byte[] exact;
    try {
      exact = Fixtures.encrypt(full, Fixtures.params().segmentSize(SEG).padding(false).build());
    } catch (IOException ex) {
      throw new AssertionError(ex);
    }
    byte[] longer = Arrays.copyOf(exact, exact.length + 100);
    e = (EncryptedFileException) attempt(longer)[1];
    assertThat(e.kind()).isEqualTo(Kind.APPENDED_DATA);
    assertThat(e.getMessage()).isEqualTo("data appended after the final segment 1");
  }

  @Test
  void wrongKeyIsNamedAsSuch() {
    Throwable t =
        catchThrowable(
            () -> MediaDecryptor.decrypt(new ByteArrayInputStream(file), Fixtures.STRANGER));
    assertThat(((EncryptedFileException) t).kind()).isEqualTo(Kind.NOT_A_RECIPIENT);
    assertThat(t.getMessage()).contains("not encrypted for key");
  }

  @Test
  void randomAccessDetectsTamperingInTheSegmentItReads() throws IOException {
    byte[] f = file.clone();
    f[headerLength + SEALED + 10] ^= 1;
    try (EncryptedFileReader r = EncryptedFileReader.open(new InMemoryChannel(f), OWNER)) {
      ByteBuffer ok = ByteBuffer.allocate(100);
      assertThat(r.read(0, ok)).isEqualTo(100);
      assertThatThrownBy(() -> r.read(SEG + 5, ByteBuffer.allocate(10)))
          .isInstanceOf(EncryptedFileException.class)
          .hasMessageStartingWith("tampered at segment 1");
    }
    byte[] cut = Arrays.copyOf(file, headerLength + 2 * SEALED);
    assertThatThrownBy(() -> EncryptedFileReader.open(new InMemoryChannel(cut), OWNER))
        .hasMessageStartingWith("truncated after segment 1");
  }
}
