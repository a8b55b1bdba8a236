package org.mecam.webui.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** Reads and creates small secret files (keys, tokens, passwords) that only their owner may read. */
public final class SecretFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {}

  /** The file's text without surrounding whitespace; refuses files that others can read. */
  public static String read(Path file, String what) {
    try {
      refuseIfOthersCanRead(file, what);
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IllegalStateException(what + " file " + file + " is empty");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + what + " file " + file + ": " + e.getMessage());
    }
  }

  /** Reads the file, or first creates it (mode 0600) holding {@code bytes} random bytes in base64url. */
  public static String readOrCreate(Path file, String what, String prefix, int bytes) {
    if (!Files.exists(file)) {
      byte[] secret = new byte[bytes];
      RANDOM.nextBytes(secret);
      String text = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      try {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".secret", ".tmp");
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not POSIX: rely on the directory's protection.
        }
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create " + what + " file " + file + ": " + e.getMessage());
      }
    }
    return read(file, what);
  }

  /** A random value of {@code bytes} bytes in base64url without padding. */
  public static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void refuseIfOthersCanRead(Path file, String what) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
        throw new IllegalStateException(what + " file " + file + " is readable by others; chmod 600 it");
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
  }
}
