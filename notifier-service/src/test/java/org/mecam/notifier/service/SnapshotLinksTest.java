package org.mecam.notifier.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.secrets.SecretFiles;

class SnapshotLinksTest {
  @TempDir
  Path dir;

  @Test
  void keyFileIsCreatedOnceWithMode600() throws Exception {
    Path file = dir.resolve("link.key");
    byte[] key = SnapshotLinks.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(SnapshotLinks.loadOrCreate(file)).isEqualTo(key);
    assertThat(key).hasSize(43);
  }

  @Test
  void signatureMatchesTheDocumentedExample() {
    // docs/notifier.md: key "0123456789abcdef0123456789abcdef", mediaId m-1, exp 1700000000;
    // expected value computed independently (Python hmac/hashlib/base64).
    assertThat(SnapshotLinks.sign("0123456789abcdef0123456789abcdef".getBytes(), "m-1", 1700000000L))
        .isEqualTo("VRxAC34nA7_rd-LNzL7g-Sqh14Fnpvq_wZsD19g4Imc");
  }

  @Test
  void shortKeysAreRefused() throws Exception {
    Path file = dir.resolve("short.key");
    SecretFiles.write(file, "too short");
    assertThatThrownBy(() -> SnapshotLinks.loadOrCreate(file)).hasMessageContaining("32");
  }

  @Test
  void keysOthersCanReadAreRefused() throws Exception {
    Path file = dir.resolve("open.key");
    Files.writeString(file, "0123456789abcdef0123456789abcdef\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SnapshotLinks.loadOrCreate(file)).hasMessageContaining("chmod 600");
  }

  @Test
  void backoffDoublesUpToFiveMinutes() {
    assertThat(DeliveryDispatcher.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(DeliveryDispatcher.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(DeliveryDispatcher.backoff(30)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void dailySummaryTextCountsPerCategoryAndCamera() {
    String text = DailySummary.describe(java.util.List.of(new String[] {"motion", "garden", "3"},
        new String[] {"motion", "porch", "2"}, new String[] {"security", "porch", "1"}));
    assertThat(text).isEqualTo("Last 24 h: 5 motion (garden 3, porch 2); 1 security (porch 1).");
  }
}
