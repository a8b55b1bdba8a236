package org.mecam.webui.security;

import org.mecam.events.SnapshotLinkSignature;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.webui.config.WebUiConfig;

/**
 * Makes and checks expiring snapshot links:
 * {@code /media/<mediaId>/snapshot?exp=<epochSeconds>&u=<user>&sig=<base64url(HMAC-SHA256(key,
 * mediaId + "|" + exp + "|" + user))>},
 * with the key shared with the notifier through one 0600 file.
 */
@ApplicationScoped
public class LinkSigner {
  private final byte[] key;
  private final Clock clock;
  private final WebUiConfig config;

  public LinkSigner(WebUiConfig config, ServiceConfig service, Clock clock) {
    Path file = config.linkSigningKeyFile().orElse(service.dataDir().resolve("link-signing.key"));
    this.key = SecretFiles.readOrCreateRandom(file, "link signing key", 32).getBytes(StandardCharsets.UTF_8);
    if (key.length < 32) {
      throw new IllegalStateException("link signing key in " + file + " is shorter than 32 characters");
    }
    this.clock = clock;
    this.config = config;
  }

  public String signature(String mediaId, String exp) {
    return SnapshotLinkSignature.sign(key, mediaId, exp);
  }

  /** A path (no host) for the snapshot, issued to {@code user}, valid for the configured time. */
  public String snapshotPath(String mediaId, String user) {
    long exp = clock.instant().plus(config.snapshotLinkTtl()).getEpochSecond();
    return "/media/" + mediaId + "/snapshot?exp=" + exp + "&u=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
        + "&sig=" + SnapshotLinkSignature.sign(key, mediaId, Long.toString(exp), user);
  }

  /**
   * True when {@code sig} is right for the media id, {@code exp} and the user the link was issued to, and
   * {@code exp} has not passed. Links without a user are refused: every link carries one, so removing the
   * user (checked by the caller) revokes it.
   */
  public boolean verify(String mediaId, String exp, String user, String sig) {
    if (mediaId == null || exp == null || sig == null || user == null || user.indexOf('|') >= 0) {
      return false;
    }
    long expSeconds;
    try {
      expSeconds = Long.parseLong(exp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (expSeconds < clock.instant().getEpochSecond()) {
      return false;
    }
    String expected = SnapshotLinkSignature.sign(key, mediaId, exp, user);
    // Accept a padded variant too, so a signer that keeps '=' padding interoperates.
    String given = sig.replace("=", "");
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        given.getBytes(StandardCharsets.US_ASCII));
  }
}
