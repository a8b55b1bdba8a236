package org.mecam.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Creates and reads the local run's secret files: random, mode 0600, reused across runs. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path dir;

  public Secrets(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** The file holding secret {@code name}, created with a fresh random value if absent. */
  public Path file(String name) throws IOException {
    Path f = dir.resolve(name);
    if (!Files.exists(f)) {
      byte[] raw = new byte[24];
      RANDOM.nextBytes(raw);
      write(f, Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }
    return f;
  }

  /** Writes {@code value} to secret file {@code name} (0600), replacing it. */
  public Path write(String name, String value) throws IOException {
    Path f = dir.resolve(name);
    write(f, value);
    return f;
  }

  public String read(String name) throws IOException {
    return Files.readString(file(name), StandardCharsets.UTF_8).strip();
  }

  private static void write(Path f, String value) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
