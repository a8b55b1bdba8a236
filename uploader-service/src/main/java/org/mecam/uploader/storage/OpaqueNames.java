package org.mecam.uploader.storage;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.mecam.crypto.ArchiveNames;
import org.mecam.secrets.SecretFiles;

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
  public static OpaqueNames load(Path keyFile) {
    String hex = SecretFiles.readOrCreate(keyFile, "archive names key", () -> {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      return HexFormat.of().formatHex(k);
    });
    return new OpaqueNames(HexFormat.of().parseHex(hex));
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
