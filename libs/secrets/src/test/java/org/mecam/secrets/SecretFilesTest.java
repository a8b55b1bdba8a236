package org.mecam.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.secrets.SecretFiles.Access;

class SecretFilesTest {
  @TempDir Path dir;

  @Test
  void writtenFilesAreOwnerOnlyAndReadBack() throws Exception {
    Path f = dir.resolve("sub/token");
    SecretFiles.write(f, "s3cret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThat(Files.readString(f)).isEqualTo("s3cret\n");
    assertThat(SecretFiles.read(f, "test token")).isEqualTo("s3cret");
    SecretFiles.write(f, "other");
    assertThat(SecretFiles.read(f, "test token")).isEqualTo("other");
    try (Stream<Path> files = Files.list(f.getParent())) {
      assertThat(files).containsExactly(f); // no temporary file left behind
    }
  }

  @Test
  void ownerOnlyRefusesAnyGroupOrOtherBitAndSaysHowToFixIt() throws Exception {
    Path f = dir.resolve("key");
    SecretFiles.write(f, "k");
    for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-----w-"}) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> SecretFiles.read(f, "link key"))
          .isInstanceOf(SecretFileException.class)
          .hasMessageContaining("link key file " + f)
          .hasMessageContaining("accessible by group or others")
          .hasMessageContaining("chmod 600 " + f)
          .hasMessageNotContaining("k\n");
    }
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
    assertThat(SecretFiles.read(f, "link key")).isEqualTo("k");
  }

  @Test
  void groupReadAllowsOnlyGroupRead() throws Exception {
    Path f = dir.resolve("mqtt.password");
    SecretFiles.write(f, "pw");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(SecretFiles.read(f, "MQTT password", Access.GROUP_READ)).isEqualTo("pw");
    for (String mode : new String[] {"rw-r--r--", "rw-rw----"}) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> SecretFiles.read(f, "MQTT password", Access.GROUP_READ))
          .hasMessageContaining("chmod 640 " + f);
    }
  }

  @Test
  void missingAndEmptyFilesAreNamed() throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> SecretFiles.read(missing, "API token"))
        .isInstanceOf(SecretFileException.class).hasMessage("API token file " + missing + " does not exist");
    Path empty = dir.resolve("empty");
    SecretFiles.write(empty, "  ");
    assertThatThrownBy(() -> SecretFiles.read(empty, "API token")).hasMessageContaining("is empty");
  }

  @Test
  void readOrCreateMakesTheSecretOnceAndKeepsIt() {
    Path f = dir.resolve("vapid");
    AtomicInteger made = new AtomicInteger();
    String first = SecretFiles.readOrCreate(f, "VAPID key", () -> "v" + made.incrementAndGet());
    String second = SecretFiles.readOrCreate(f, "VAPID key", () -> "v" + made.incrementAndGet());
    assertThat(first).isEqualTo("v1").isEqualTo(second);
    assertThat(made).hasValue(1);
    String token = SecretFiles.readOrCreateRandom(dir.resolve("t"), "token", 24);
    assertThat(token).matches("[A-Za-z0-9_-]{32}");
  }

  @Test
  void createNewNeverReplacesAFile() throws Exception {
    Path f = dir.resolve("export.txt");
    SecretFiles.createNew(f, "code");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThatThrownBy(() -> SecretFiles.createNew(f, "other")).hasMessageContaining("already exists");
    assertThat(Files.readString(f)).isEqualTo("code\n");
  }
}
