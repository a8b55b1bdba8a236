package org.mecam.uploader.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.mecam.crypto.ArchiveNames;

/**
 * Remote names that reveal neither camera nor content: {@code YYYY/MM/DD/<HMAC-SHA256(key, media id)>.mecam},
 * the key being 32 random bytes kept in the uploader's data directory; the same media id always maps
 * to the same name, which makes the name itself the idempotency index of the folder backend.
 */
public final class OpaqueNames {
  private final byte[] key;

  public OpaqueNames(byte[] key) {
    this.key = key.clone();
  }

  /** Loads the key file, creating it (0600) with a random key the first time. */
  public static OpaqueNames load(Path keyFile) throws IOException {
    if (!Files.exists(keyFile)) {
      Files.createDirectories(keyFile.getParent());
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
      Files.write(tmp, HexFormat.of().formatHex(k).getBytes(), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return new OpaqueNames(HexFormat.of().parseHex(Files.readString(keyFile).strip()));
  }

  /** The file name (without folders) for a media id. */
  public String fileName(String mediaId) {
    return ArchiveNames.fileName(key, mediaId);
  }

  /** The date folders, {@code YYYY/MM/DD} (UTC). */
  public static String dayFolder(Instant t) {
    return ArchiveNames.dayFolder(t);
  }
}
