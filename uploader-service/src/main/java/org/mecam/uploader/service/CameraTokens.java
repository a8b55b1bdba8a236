package org.mecam.uploader.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.mecam.secrets.SecretFiles;
import org.mecam.uploader.config.UploaderConfig;

/**
 * The per-camera tokens the uploader presents when pulling media, read from a 0600 file of
 * {@code camera-id=token} lines and re-read when the file changes; tokens are never logged.
 */
@ApplicationScoped
public class CameraTokens {
  private final Optional<Path> file;
  private Map<String, String> tokens = Map.of();
  private FileTime loadedAt;

  public CameraTokens(UploaderConfig config) {
    this.file = config.cameraTokensFile();
  }

  /** The token for {@code camera}, or empty when none is configured. */
  public synchronized Optional<String> tokenFor(String camera) throws IOException {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path f = file.get();
    FileTime mtime = Files.getLastModifiedTime(f);
    if (!mtime.equals(loadedAt)) {
      tokens = load(f);
      loadedAt = mtime;
    }
    return Optional.ofNullable(tokens.get(camera));
  }

  static Map<String, String> load(Path f) throws IOException {
    SecretFiles.checkPermissions(f, "camera tokens", SecretFiles.Access.OWNER_ONLY);
    Map<String, String> m = new HashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq <= 0 || eq == t.length() - 1) {
        throw new IOException("camera tokens file " + f + " line " + n + ": expected camera-id=token");
      }
      m.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
    }
    return Map.copyOf(m);
  }
}
