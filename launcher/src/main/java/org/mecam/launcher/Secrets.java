package org.mecam.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.mecam.secrets.SecretFiles;

/** The local run's secret files: random, mode 0600 in a 0700 folder, reused across runs. */
public final class Secrets {
  private final Path dir;

  public Secrets(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** The file holding secret {@code name}, created with a fresh random value if absent. */
  public Path file(String name) {
    Path f = dir.resolve(name);
    SecretFiles.readOrCreateRandom(f, name, 24);
    return f;
  }

  /** Writes {@code value} to secret file {@code name} (0600), replacing it. */
  public Path write(String name, String value) {
    Path f = dir.resolve(name);
    SecretFiles.write(f, value);
    return f;
  }

  public String read(String name) {
    return SecretFiles.read(file(name), name);
  }
}
