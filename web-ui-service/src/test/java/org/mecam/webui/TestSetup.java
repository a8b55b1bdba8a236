package org.mecam.webui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Gives each test run a fresh data directory with a bootstrap owner and an API token file (0600),
 * the way an unattended installation configures the web UI.
 */
public class TestSetup implements QuarkusTestResourceLifecycleManager {
  public static final String OWNER = "owner";
  public static final String PASSWORD = "correct horse battery";
  public static final String TOKEN = "mecam_test-token-0123456789abcdefghijklmnop";
  public static final String LINK_KEY = "test-link-signing-key-0123456789";
  public static final String ARCHIVE_PASSPHRASE = "archive passphrase for tests";
  public static final String ARCHIVE_TOKEN = "archive-read-token-for-tests-0123456789";
  /** The owner's archive public key (files for the archive test are encrypted to it). */
  public static volatile org.mecam.crypto.RecipientKey ownerRecipient;
  /** The loopback stand-in for the uploader's internal archive endpoint. */
  public static volatile FakeUploaderArchive uploader;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Paths.get("target", "test-data", "run-" + System.nanoTime()).toAbsolutePath();
      Files.createDirectories(dir);
      Path password = secret(dir.resolve("owner.password"), PASSWORD);
      Path token = secret(dir.resolve("api.token"), TOKEN);
      Path key = secret(dir.resolve("link-signing.key"), LINK_KEY);
      Path archiveToken = secret(dir.resolve("archive-read.token"), ARCHIVE_TOKEN);
      if (uploader == null) {
        uploader = new FakeUploaderArchive(ARCHIVE_TOKEN);
      }
      Path ownerKey = dir.resolve("owner.key");
      org.mecam.crypto.OwnerKeyPair pair = org.mecam.crypto.OwnerKeyPair.generate();
      ownerRecipient = pair.recipient();
      org.mecam.crypto.OwnerKeyFile.create(ownerKey, pair, ARCHIVE_PASSPHRASE.toCharArray(),
          org.mecam.crypto.KdfParams.argon2idForTests());
      return Map.ofEntries(
          Map.entry("mecam.webui.uploader-url", uploader.url()),
          Map.entry("mecam.webui.archive-token-file", archiveToken.toString()),
          Map.entry("mecam.webui.archive-fetch-timeout", "5s"),
          Map.entry("mecam.webui.owner-key-file", ownerKey.toString()),
          Map.entry("mecam.service.data-dir", dir.toString()),
          Map.entry("mecam.webui.bootstrap-admin-user", OWNER),
          Map.entry("mecam.webui.bootstrap-admin-password-file", password.toString()),
          Map.entry("mecam.webui.api-token-file", token.toString()),
          Map.entry("mecam.webui.link-signing-key-file", key.toString()),
          Map.entry("mecam.webui.command-timeout", "2s"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path secret(Path file, String value) throws IOException {
    Files.writeString(file, value + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Override
  public void stop() {}
}
