package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner key file: permissions, passphrases, the PBKDF2 fallback and the recovery code. */
class OwnerKeyFileTest {
  @TempDir Path dir;

  @Test
  void createsAKeyFileOnlyTheOwnerCanReadAndUnlocksIt() throws Exception {
    Path f = dir.resolve("owner.key");
    OwnerKeyPair k = OwnerKeyPair.generate();
    OwnerKeyFile.create(f, k, "correct horse".toCharArray(), KdfParams.argon2idForTests());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThat(Files.readString(f)).contains("\"kdf\": \"argon2id\"").doesNotContain("null");
    OwnerKeyPair back = OwnerKeyFile.unlock(f, "correct horse".toCharArray());
    assertThat(back.privateKeyBytes()).isEqualTo(k.privateKeyBytes());
    assertThat(OwnerKeyFile.readRecipient(f)).isEqualTo(k.recipient());
  }

  @Test
  void wrongPassphraseIsNamed() throws Exception {
    Path f = dir.resolve("owner.key");
    OwnerKeyFile.create(f, OwnerKeyPair.generate(), "right".toCharArray(), KdfParams.argon2idForTests());
    assertThatThrownBy(() -> OwnerKeyFile.unlock(f, "wrong".toCharArray()))
        .isInstanceOf(WrongPassphraseException.class)
        .hasMessageStartingWith("wrong passphrase");
  }

  @Test
  void refusesAKeyFileOthersCanRead() throws Exception {
    Path f = dir.resolve("owner.key");
    OwnerKeyFile.create(f, OwnerKeyPair.generate(), "p".toCharArray(), KdfParams.argon2idForTests());
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> OwnerKeyFile.unlock(f, "p".toCharArray()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("accessible by group or others")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void changingThePassphraseKeepsTheKeyAndOldFilesOpen() throws Exception {
    Path f = dir.resolve("owner.key");
    OwnerKeyPair k = OwnerKeyPair.generate();
    OwnerKeyFile.create(f, k, "old".toCharArray(), KdfParams.argon2idForTests());
    byte[] file = Fixtures.encrypt(new byte[] {1, 2, 3},
        EncryptionParams.builder().recipient(k.recipient()).build());
    OwnerKeyFile.changePassphrase(f, "old".toCharArray(), "new".toCharArray(), KdfParams.argon2idForTests());
    assertThatThrownBy(() -> OwnerKeyFile.unlock(f, "old".toCharArray()))
        .isInstanceOf(WrongPassphraseException.class);
    assertThat(Fixtures.decrypt(file, OwnerKeyFile.unlock(f, "new".toCharArray())))
        .containsExactly(1, 2, 3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
  }

  @Test
  void pbkdf2FallbackWorksAndRejectsWeakIterationCounts() throws Exception {
    Path f = dir.resolve("owner.key");
    OwnerKeyPair k = OwnerKeyPair.generate();
    OwnerKeyFile.create(f, k, "pässword".toCharArray(), KdfParams.pbkdf2(600_000));
    assertThat(OwnerKeyFile.unlock(f, "pässword".toCharArray()).recipient()).isEqualTo(k.recipient());
    assertThatThrownBy(() -> KdfParams.pbkdf2(100_000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recoveryCodeRoundTripsAndCatchesTypos() {
    OwnerKeyPair k = OwnerKeyPair.generate();
    String code = RecoveryCode.encode(k);
    assertThat(code).startsWith(RecoveryCode.TITLE);
    assertThat(RecoveryCode.decode(code).recipient()).isEqualTo(k.recipient());
    assertThat(RecoveryCode.decode(code.toLowerCase().replace("-", " ")).recipient())
        .isEqualTo(k.recipient());
    String[] lines = code.split("\n");
    char c = lines[1].charAt(0);
    lines[1] = (c == 'A' ? 'B' : 'A') + lines[1].substring(1);
    String typo = String.join("\n", lines);
    assertThatThrownBy(() -> RecoveryCode.decode(typo)).hasMessageContaining("checksum");
  }

  /** docs §7: title line, then 3 lines of 5 dash-joined groups of 4; the 4 spare bits are zero. */
  @Test
  void recoveryCodeLayoutAndSpareBits() {
    OwnerKeyPair k = OwnerKeyPair.generate();
    String code = RecoveryCode.encode(k);
    String[] lines = code.split("\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).isEqualTo("MECAM RECOVERY KEY v1 (key id " + k.recipient().keyIdHex() + ")");
    for (int i = 1; i <= 3; i++) {
      assertThat(lines[i]).matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){4}");
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    int last = alphabet.indexOf(lines[3].charAt(lines[3].length() - 1));
    assertThat(last & 0x0F).as("spare bits").isZero();
    // The same character with a spare bit set decodes to the same 37 bytes, so the checksum
    // cannot see it; the reader refuses it as a typo.
    String typo = code.substring(0, code.length() - 2) + alphabet.charAt(last | 1) + "\n";
    assertThatThrownBy(() -> RecoveryCode.decode(typo)).hasMessageContaining("spare bits");
  }

  @Test
  void recipientKeyTextRoundTrips() {
    RecipientKey r = OwnerKeyPair.generate().recipient();
    assertThat(RecipientKey.parse(" " + r.toText() + "\n")).isEqualTo(r);
  }

  /** Before the floor, keygen wrote 8 KiB / one pass without complaint; such a file is refused now. */
  @Test
  void argon2BelowTheDocumentedFloorIsRefusedOnCreationAndOnReadingUntilRewrapped()
      throws Exception {
    Path f = dir.resolve("weak.key");
    OwnerKeyPair k = OwnerKeyPair.generate();
    KdfParams weak = new KdfParams(KdfParams.ARGON2ID, 8, 1, 1);
    assertThatThrownBy(() -> OwnerKeyFile.create(f, k, "p".toCharArray(), weak))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory 19456..4194304 KiB, iterations 2..64, parallelism 1..16");
    assertThatThrownBy(() -> OwnerKeyFile.create(f, k, "p".toCharArray(),
        new KdfParams(KdfParams.ARGON2ID, 19 * 1024, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(f).doesNotExist();

    // A key file written with the old, weak parameters.
    Files.writeString(f, OwnerKeyFile.encode(k, "old".toCharArray(), weak,
        new java.security.SecureRandom()));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> OwnerKeyFile.unlock(f, "old".toCharArray()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("m=8 KiB, t=1")
        .hasMessageContaining("mecam-recover passwd -k");
    // The way out: rewrap; then it opens, with the floor's parameters or better.
    OwnerKeyFile.checkPassphrase(f, "old".toCharArray());
    OwnerKeyFile.changePassphrase(f, "old".toCharArray(), "new".toCharArray(),
        KdfParams.argon2idMinimum());
    assertThat(Files.readString(f)).contains("\"kdfMemoryKiB\": 19456")
        .contains("\"kdfIterations\": 2");
    assertThat(OwnerKeyFile.unlock(f, "new".toCharArray()).recipient()).isEqualTo(k.recipient());

    // A key file asking for more than the ceiling is refused even for a rewrap (bounded reading).
    Path huge = dir.resolve("huge.key");
    Files.writeString(huge, Files.readString(f)
        .replaceAll("\"kdfMemoryKiB\": [0-9]+", "\"kdfMemoryKiB\": 8388608"));
    Files.setPosixFilePermissions(huge, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> OwnerKeyFile.checkPassphrase(huge, "new".toCharArray()))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("outside the allowed range");
  }
}
