package org.mecam.notifier.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.mecam.events.SnapshotLinkSignature;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;

/**
 * Makes the expiring, signed snapshot links that notifications carry:
 * {@code <web-ui>/media/<mediaId>/snapshot?exp=<epochSeconds>&u=<user>&sig=<base64url(HMAC-SHA256(key,
 * mediaId|exp|user))>},
 * with the key read from a 0600 file shared with the web UI (see docs/notifier.md).
 */
@ApplicationScoped
public class SnapshotLinks {
  private final byte[] key;
  private final String base;
  private volatile String publishedBase;
  private final Clock clock;
  private final NotifierConfig config;

  public SnapshotLinks(NotifierConfig config, ServiceConfig service, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.base = config.webUiBaseUrl().replaceAll("/+$", "");
    Path file = config.linkSigningKeyFile().orElse(service.dataDir().resolve("link-signing.key"));
    this.key = loadOrCreate(file);
  }

  /**
   * The signed link to a stored snapshot for one user, valid for the configured time; the web UI refuses
   * it once that user is removed.
   */
  public String snapshotUrl(String mediaId, String user) {
    long exp = clock.instant().plus(config.snapshotLinkTtl()).getEpochSecond();
    return base() + "/media/" + mediaId + "/snapshot?exp=" + exp + "&u="
        + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8) + "&sig=" + sign(mediaId, exp, user);
  }

  /** The page of one event in the web UI (the notification's click target). */
  public String eventUrl(String eventId) {
    return eventId == null ? base() + "/" : base() + "/events/" + eventId;
  }

  /**
   * The web UI's public URL: the one it publishes retained on {@code mecam/v1/webui/settings} once
   * received, else {@code mecam.notifier.web-ui-base-url}.
   */
  public String base() {
    String published = publishedBase;
    return published != null ? published : base;
  }

  /** Takes the web UI's published public URL (null: back to the configured one). */
  public void setPublishedBase(String url) {
    publishedBase = url == null ? null : url.replaceAll("/+$", "");
  }

  /** base64url (no padding) of HMAC-SHA256 over the UTF-8 bytes of {@code mediaId + "|" + exp}. */
  public String sign(String mediaId, long exp) {
    return sign(key, mediaId, exp);
  }

  /** The same over {@code mediaId + "|" + exp + "|" + user} (a link issued to a user). */
  public String sign(String mediaId, long exp, String user) {
    return SnapshotLinkSignature.sign(key, mediaId, Long.toString(exp), user);
  }

  /** The signature for a key (the trimmed key file's bytes), media id and expiry (the shared contract code). */
  public static String sign(byte[] key, String mediaId, long exp) {
    return SnapshotLinkSignature.sign(key, mediaId, Long.toString(exp));
  }

  /** True when the signature is right and the link has not expired (what the web UI checks). */
  public boolean verify(String mediaId, long exp, String sig) {
    return exp >= clock.instant().getEpochSecond()
        && java.security.MessageDigest.isEqual(sign(mediaId, exp).getBytes(StandardCharsets.US_ASCII),
            sig.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads the key file: its bytes after trimming whitespace are the key (at least 32 bytes; a
   * base64/hex string works as-is). Creates it with 32 random bytes, base64url, mode 0600, if absent.
   */
  static byte[] loadOrCreate(Path file) {
    byte[] keyBytes = SecretFiles.readOrCreateRandom(file, "link signing key", 32).getBytes(StandardCharsets.UTF_8);
    if (keyBytes.length < 32) {
      throw new IllegalStateException("link signing key in " + file + " is shorter than 32 characters");
    }
    return keyBytes;
  }
}
