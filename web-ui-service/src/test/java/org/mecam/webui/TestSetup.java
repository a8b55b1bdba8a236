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

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Paths.get("target", "test-data", "run-" + System.nanoTime()).toAbsolutePath();
      Files.createDirectories(dir);
      Path password = secret(dir.resolve("owner.password"), PASSWORD);
      Path token = secret(dir.resolve("api.token"), TOKEN);
      Path key = secret(dir.resolve("link-signing.key"), LINK_KEY);
      return Map.of(
          "mecam.service.data-dir", dir.toString(),
          "mecam.webui.bootstrap-admin-user", OWNER,
          "mecam.webui.bootstrap-admin-password-file", password.toString(),
          "mecam.webui.api-token-file", token.toString(),
          "mecam.webui.link-signing-key-file", key.toString(),
          "mecam.webui.command-timeout", "2s");
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
