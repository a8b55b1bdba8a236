package org.mecam.webui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** A fresh data directory with no owner yet, so the browser test walks through first-run setup. */
public class BrowserSetup implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    try {
      Path dir = Paths.get("target", "test-data", "browser-" + System.nanoTime()).toAbsolutePath();
      Files.createDirectories(dir);
      Path key = TestSetup.secret(dir.resolve("link-signing.key"), TestSetup.LINK_KEY);
      return Map.of("mecam.service.data-dir", dir.toString(),
          "mecam.webui.link-signing-key-file", key.toString(),
          "mecam.webui.command-timeout", "3s");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {}
}
