package org.mecam.uploader.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTokenTest {
  @TempDir
  Path dir;

  private Path file(String content, String mode) throws IOException {
    Path f = dir.resolve("archive-read.token");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void isDisabledWithoutAFile() throws IOException {
    assertThat(ArchiveToken.load(Optional.empty())).isEmpty();
  }

  @Test
  void acceptsOnlyTheExactBearerToken() throws IOException {
    ArchiveToken t = ArchiveToken.load(Optional.of(file("0123456789abcdefXYZ\n", "rw-------"))).orElseThrow();
    assertThat(t.accepts("Bearer 0123456789abcdefXYZ")).isTrue();
    assertThat(t.accepts("bearer 0123456789abcdefXYZ")).isTrue();
    assertThat(t.accepts("Bearer 0123456789abcdefXY")).isFalse();
    assertThat(t.accepts("Bearer 0123456789abcdefXYZZ")).isFalse();
    assertThat(t.accepts("Basic 0123456789abcdefXYZ")).isFalse();
    assertThat(t.accepts("0123456789abcdefXYZ")).isFalse();
    assertThat(t.accepts("Bearer ")).isFalse();
    assertThat(t.accepts(null)).isFalse();
  }

  @Test
  void refusesAFileGroupOrOthersCanRead() throws IOException {
    Path f = file("0123456789abcdefXYZ", "rw-r-----");
    assertThatThrownBy(() -> ArchiveToken.load(Optional.of(f))).isInstanceOf(IOException.class)
        .hasMessageContaining("chmod 600");
    Path g = file("0123456789abcdefXYZ", "rw----r--");
    assertThatThrownBy(() -> ArchiveToken.load(Optional.of(g))).isInstanceOf(IOException.class);
  }

  @Test
  void refusesAMissingEmptyOrShortToken() throws IOException {
    assertThatThrownBy(() -> ArchiveToken.load(Optional.of(dir.resolve("nope"))))
        .hasMessageContaining("does not exist");
    Path empty = file("\n", "rw-------");
    assertThatThrownBy(() -> ArchiveToken.load(Optional.of(empty))).hasMessageContaining("is empty");
    Path shortOne = file("short", "rw-------");
    assertThatThrownBy(() -> ArchiveToken.load(Optional.of(shortOne))).hasMessageContaining("shorter");
  }
}
