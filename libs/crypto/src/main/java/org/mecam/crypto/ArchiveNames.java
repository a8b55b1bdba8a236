package org.mecam.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names of archived files that reveal neither camera nor content:
 * {@code YYYY/MM/DD/<first 16 bytes of HMAC-SHA256(key, "media:" + mediaId) in hex>.mecam}. The
 * uploader writes under these names and the web UI finds files by them, so both use this one class.
 */
public final class ArchiveNames {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private ArchiveNames() {}

  /** The file name (without folders) of a media id under the names key. */
  public static String fileName(byte[] namesKey, String mediaId) {
    return HexFormat.of().formatHex(hmac(namesKey, "media:" + mediaId), 0, 16) + ".mecam";
  }

  /** The date folders, {@code YYYY/MM/DD} in UTC. */
  public static String dayFolder(Instant t) {
    return DAY.format(t);
  }

  static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
