package org.mecam.webui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * A fresh data directory with no owner yet, so the browser test walks through first-run setup; an
 * owner archive key and a stand-in for the uploader's archive endpoint for archive playback.
 */
public class BrowserSetup implements QuarkusTestResourceLifecycleManager {
  /** The owner's archive public key (clips for the playback test are encrypted to it). */
  public static volatile org.mecam.crypto.RecipientKey ownerRecipient;
  public static volatile FakeUploaderArchive uploader;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Paths.get("target", "test-data", "browser-" + System.nanoTime()).toAbsolutePath();
      Files.createDirectories(dir);
      Path key = TestSetup.secret(dir.resolve("link-signing.key"), TestSetup.LINK_KEY);
      Path ownerKey = dir.resolve("owner.key");
      org.mecam.crypto.OwnerKeyPair pair = org.mecam.crypto.OwnerKeyPair.generate();
      ownerRecipient = pair.recipient();
      org.mecam.crypto.OwnerKeyFile.create(ownerKey, pair, TestSetup.ARCHIVE_PASSPHRASE.toCharArray(),
          org.mecam.crypto.KdfParams.argon2idForTests());
      Path archiveToken = TestSetup.secret(dir.resolve("archive-read.token"), TestSetup.ARCHIVE_TOKEN);
      if (uploader == null) {
        uploader = new FakeUploaderArchive(TestSetup.ARCHIVE_TOKEN);
      }
      return Map.of("mecam.service.data-dir", dir.toString(),
          "mecam.webui.link-signing-key-file", key.toString(),
          "mecam.webui.command-timeout", "3s",
          "mecam.webui.owner-key-file", ownerKey.toString(),
          "mecam.webui.uploader-url", uploader.url(),
          "mecam.webui.archive-token-file", archiveToken.toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {}
}
