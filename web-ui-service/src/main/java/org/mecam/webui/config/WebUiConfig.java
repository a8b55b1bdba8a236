package org.mecam.webui.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The web UI's own settings ({@code mecam.webui.*}; env {@code MECAM_WEBUI_*}). */
@ConfigMapping(prefix = "mecam.webui")
public interface WebUiConfig {

  /** Owner account created at start-up when none exists yet (unattended installs, tests). */
  Optional<String> bootstrapAdminUser();

  /** File (mode 0600) holding the bootstrap owner's password; required with {@link #bootstrapAdminUser}. */
  Optional<Path> bootstrapAdminPasswordFile();

  /**
   * File (mode 0600) holding an API token accepted as {@code Authorization: Bearer <token>}; when the
   * file does not exist a new random token is written to it at start-up.
   */
  Optional<Path> apiTokenFile();

  /**
   * File (mode 0600) with the key that signs expiring snapshot links, shared with the notifier; the
   * key is the file's text with surrounding whitespace removed, used as UTF-8 bytes. Created with 32
   * random bytes (base64url) when missing. Default: {@code <data-dir>/link-signing.key}.
   */
  Optional<Path> linkSigningKeyFile();


  /** Mark cookies {@code Secure}; turn off only for plain-http development on localhost. */
  @WithDefault("true")
  boolean secureCookies();

  /** How long a login session lives without use. */
  @WithDefault("P14D")
  Duration sessionIdleTimeout();

  /** How long the API waits for the uploader or notifier to answer a command before giving up (504). */
  @WithDefault("10s")
  Duration commandTimeout();

  /** Failed logins for one user name or client address before it is locked out for a while. */
  @WithDefault("5")
  int loginMaxFailures();

  /** First lock-out after too many failures; doubles with every further failure, up to 15 minutes. */
  @WithDefault("30s")
  Duration loginLockout();

  /**
   * Reverse proxies whose {@code X-Forwarded-For} is believed (CIDR list, e.g.
   * {@code 172.16.0.0/12,::1/128}); requests from anyone else are keyed on the socket address. Default:
   * none (the header is ignored).
   */
  Optional<java.util.List<String>> trustedProxies();

  /** Password (Argon2id) derivations that may run at once; each takes about 19 MiB. */
  @WithDefault("2")
  int loginHashConcurrency();

  /** How long a login waits for a free derivation slot before it is refused with 503. */
  @WithDefault("500ms")
  Duration loginHashWait();

  /** How long a snapshot link made by this service stays valid. */
  @WithDefault("P7D")
  Duration snapshotLinkTtl();

  /**
   * The uploader's base URL (for example {@code http://127.0.0.1:8081}): stored media is read back,
   * still encrypted, through its {@code /internal/archive/{mediaId}} endpoint for playback, whichever
   * backend (local folder or Google Drive) holds it.
   */
  Optional<URI> uploaderUrl();

  /** File (mode 0600) with the bearer token the uploader accepts on its internal archive endpoint. */
  Optional<Path> archiveTokenFile();

  /** How long the uploader may take to start answering one archive read (Drive can be slow). */
  @WithDefault("20s")
  Duration archiveFetchTimeout();

  /**
   * The owner's passphrase-protected key file (mode 0600) that opens the archive. First-run setup
   * creates it when it does not exist. Default: {@code <data-dir>/owner.key}.
   */
  Optional<Path> ownerKeyFile();

  /**
   * Where first-run setup writes the archive's public (recipient) key for the uploader, in the format
   * of {@code mecam-recover keygen}'s {@code .pub} file; in compose the shared volume's
   * {@code archive-key.pub}. Default: {@code <data-dir>/archive-key.pub}.
   */
  Optional<Path> archivePublicKeyFile();

  /**
   * The camera registry ({@code cameras.json}, mode 0600, see libs/cameras) that the web UI writes
   * when cameras are added or removed and the uploader reads; in compose on the shared volume.
   * Default: {@code <data-dir>/cameras.json}.
   */
  Optional<Path> camerasFile();

  /** The broker's TLS port as cameras reach it at the public URL's host (put in agent configs). */
  @WithDefault("8883")
  int brokerPublicPort();

  /**
   * The broker's CA certificate (PEM) that agent configs pin ({@code mqtt-ca-pem}); without it the
   * agent config has no CA line and the camera must be given one by hand.
   */
  Optional<Path> brokerCaFile();

  /** How long to wait for the broker's dynamic-security plugin to answer when adding or removing a camera. */
  @WithDefault("5s")
  Duration dynsecTimeout();

  /**
   * Argon2id memory (KiB) for the owner key file that first-run setup creates; the default is what
   * {@code mecam-recover keygen} uses. Lower it only for tests, and not below 19456 (the floor of
   * docs/encryption-format.md §6.1: a key file below it is refused on creation and on reading).
   */
  @WithDefault("65536")
  int archiveKeyArgon2MemoryKib();

  /** Argon2id passes for the owner key file that first-run setup creates (as {@code keygen}; at least 2). */
  @WithDefault("3")
  int archiveKeyArgon2Iterations();

  /** How long the unlocked archive key stays in memory for cloud playback. */
  @WithDefault("15m")
  Duration archiveUnlockTtl();

  /** How long fetching a snapshot from a camera agent may take. */
  @WithDefault("5s")
  Duration mediaFetchTimeout();
}
