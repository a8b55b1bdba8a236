package org.mecam.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one way mecam reads and writes small secret files: passwords, tokens, keys.
 *
 * <p>Written files are mode 0600 from their first byte (never a window where others could read
 * them), synced, and replaced atomically, so a crash leaves the old or the new secret, never half
 * of one. Read files are refused, with the {@code chmod} that fixes them, when their mode lets
 * someone read them who should not, as chosen by {@link Access}. On a file system without POSIX
 * permissions nothing is checked. Messages name the file, never its content.
 */
public final class SecretFiles {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final Set<PosixFilePermission> GROUP_WRITE_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /** Who besides the owning user may read a secret file. */
  public enum Access {
    /** Nobody: mode 0600 or 0400. The default for every secret a program owns. */
    OWNER_ONLY,
    /**
     * The file's group may read it too (0640): only for secrets that Docker Compose bind-mounts
     * into a container whose user reaches them through a shared group (the broker passwords).
     */
    GROUP_READ
  }

  private SecretFiles() {}

  /** The file's text without surrounding whitespace; refused when empty or readable by group or others. */
  public static String read(Path file, String what) {
    return read(file, what, Access.OWNER_ONLY);
  }

  /** The file's text without surrounding whitespace; refused when empty or too widely readable. */
  public static String read(Path file, String what, Access access) {
    checkPermissions(file, what, access);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new SecretFileException(what + " file " + file + " does not exist");
    } catch (IOException e) {
      throw new SecretFileException("cannot read " + what + " file " + file + ": " + e.getMessage());
    }
    if (text.isEmpty()) {
      throw new SecretFileException(what + " file " + file + " is empty");
    }
    return text;
  }

  /**
   * Refuses {@code file} when its mode gives more than {@code access} allows. A missing file is
   * refused too, so that a typo in a path is reported as such.
   */
  public static void checkPermissions(Path file, String what, Access access) {
    if (!Files.exists(file)) {
      throw new SecretFileException(what + " file " + file + " does not exist");
    }
    if (!posix()) {
      return;
    }
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // e.g. a Docker secret on a file system without POSIX modes
    } catch (IOException e) {
      throw new SecretFileException("cannot read the permissions of " + what + " file " + file + ": "
          + e.getMessage());
    }
    Set<PosixFilePermission> forbidden = access == Access.OWNER_ONLY ? GROUP_OR_OTHERS : GROUP_WRITE_OR_OTHERS;
    Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
    extra.addAll(perms);
    extra.retainAll(forbidden);
    if (!extra.isEmpty()) {
      String mode = access == Access.OWNER_ONLY ? "600" : "640";
      String who = access == Access.OWNER_ONLY ? "group or others" : "others (or writable by its group)";
      throw new SecretFileException(what + " file " + file + " is accessible by " + who + " ("
          + PosixFilePermissions.toString(perms) + "); run: chmod " + mode + " " + file);
    }
  }

  /** Replaces {@code file} atomically with {@code text} (a newline is added), mode 0600, synced. */
  public static void write(Path file, String text) {
    try {
      Path tmp = writeTemp(file, text);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new SecretFileException("cannot write secret file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Creates {@code file} (mode 0600, synced) holding {@code text}; refuses to replace an existing
   * file, for exports a user names on the command line.
   */
  public static void createNew(Path file, String text) {
    try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ownerOnly())) {
      writeFully(ch, text);
    } catch (FileAlreadyExistsException e) {
      throw new SecretFileException(file + " already exists; not replacing it");
    } catch (IOException e) {
      throw new SecretFileException("cannot create secret file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads {@code file}, first creating it with {@code initial}'s value if it does not exist. When
   * two processes create it at once, the first one's value wins and both read it.
   */
  public static String readOrCreate(Path file, String what, Supplier<String> initial) {
    if (!Files.exists(file)) {
      try {
        Path tmp = writeTemp(file, initial.get());
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
          // Another process made it first: use theirs.
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new SecretFileException("cannot create " + what + " file " + file + ": " + e.getMessage());
      }
    }
    return read(file, what);
  }

  /** Reads {@code file}, first creating it with a random base64url token of {@code bytes} bytes. */
  public static String readOrCreateRandom(Path file, String what, int bytes) {
    return readOrCreate(file, what, () -> randomToken(bytes));
  }

  /** {@code bytes} random bytes as base64url without padding. */
  public static String randomToken(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static Path writeTemp(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = posix() ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly())
        : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, text);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  private static void writeFully(FileChannel ch, String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      ch.write(b);
    }
    ch.force(true);
  }

  private static FileAttribute<?>[] ownerOnly() {
    return posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
