package org.mecam.webui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * A fresh installation as compose makes it: no owner, no archive key, an empty shared directory for
 * the camera registry and the archive public key, and the log written to a file so a test can read
 * the setup code the way an owner would.
 */
public class OnboardingSetup implements QuarkusTestResourceLifecycleManager {
  public static volatile Path dataDir;
  public static volatile Path sharedDir;
  public static volatile Path logFile;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Paths.get("target", "test-data", "onboarding-" + System.nanoTime()).toAbsolutePath();
      dataDir = dir.resolve("data");
      sharedDir = dir.resolve("shared");
      Files.createDirectories(dataDir);
      Files.createDirectories(sharedDir);
      logFile = dir.resolve("web-ui.log");
      Path key = TestSetup.secret(dir.resolve("link-signing.key"), TestSetup.LINK_KEY);
      return Map.ofEntries(
          Map.entry("mecam.service.data-dir", dataDir.toString()),
          Map.entry("mecam.webui.link-signing-key-file", key.toString()),
          Map.entry("mecam.webui.archive-public-key-file", sharedDir.resolve("archive-key.pub").toString()),
          Map.entry("mecam.webui.cameras-file", sharedDir.resolve("cameras.json").toString()),
          Map.entry("mecam.webui.archive-key-argon2-memory-kib", "19456"),
          Map.entry("mecam.webui.archive-key-argon2-iterations", "2"),
          Map.entry("mecam.webui.dynsec-timeout", "1s"),
          Map.entry("quarkus.log.file.enabled", "true"),
          Map.entry("quarkus.log.file.path", logFile.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {}
}
