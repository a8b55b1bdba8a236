package org.mecam.uploader.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of the uploader ({@code mecam.uploader.*}); the ones marked live can also be changed at
 * run time with the {@code set_settings} command, which then wins over this file.
 */
@ConfigMapping(prefix = "mecam.uploader")
public interface UploaderConfig {

  /**
   * A folder holding each camera's media directory as {@code <camera id>/} (NFS, bind mount); media
   * found there under the announced relative path is copied instead of pulled over HTTP.
   */
  Optional<Path> sharedMediaRoot();

  /**
   * The camera registry ({@code cameras.json}, mode 0600, written by the web UI in the shared volume):
   * the only source of each camera's media address and token. Without it no camera is registered and
   * every announcement is refused.
   */
  Optional<Path> camerasFile();

  /**
   * File with the recipient public keys ({@code mecam-pub-1:...}, one per line, {@code #} comments):
   * the archive's {@code archive-key.pub} in the shared volume. While it is absent or unreadable the
   * uploader pulls nothing (one alert) and looks again every poll.
   */
  Optional<Path> recipientsFile();

  /**
   * File (mode 0600, owner-only) with the Bearer token that opens {@code GET /internal/archive/{mediaId}},
   * the read-back of stored encrypted files (the web UI's cloud playback); without it that endpoint
   * answers 404.
   */
  Optional<Path> archiveTokenFile();

  /** Where encrypted media goes: {@code local} (a folder or NAS mount) or {@code drive}. Live. */
  @WithDefault("local")
  String backend();

  /** Upload schedule: {@code immediate}, {@code hourly}, {@code daily} or {@code manual}. Live. */
  @WithDefault("immediate")
  String schedule();

  /** Local time of day the daily schedule runs, {@code HH:mm} (server time zone). */
  @WithDefault("02:00")
  String dailyAt();

  /** Upload bandwidth limit in Mbit/s; 0 means unlimited. Live. */
  @WithDefault("0")
  double bandwidthMbps();

  /** Concurrent uploads. Live. */
  @WithDefault("2")
  int parallelism();

  /** Concurrent pulls from the cameras into the spool (across all cameras). */
  @WithDefault("4")
  int stageParallelism();

  /** Pause all uploads (staging continues). Live. */
  @WithDefault("true")
  boolean enabled();

  /**
   * How many media items may be in staging or waiting to upload at once; beyond it new items stay on
   * their camera (recorded, not pulled) and a {@code queue-full} alert is raised.
   */
  @WithDefault("10000")
  int queueCap();

  /** Delete remote files older than this many days; 0 keeps them forever. Live. */
  @WithDefault("0")
  int retentionDays();

  /** Keep leftover spool files this many days after a verified upload (spool files are ciphertext). Live. */
  @WithDefault("1")
  int stagingKeepDays();

  /** How often workers look for due work when nothing woke them. */
  @WithDefault("1s")
  Duration pollInterval();

  /** How often statistics are published (retained) on the broker. */
  @WithDefault("10s")
  Duration statsInterval();

  /** Timeout for connecting to a camera. */
  @WithDefault("30s")
  Duration fetchTimeout();

  /** Bounds of each pull and the fairness between cameras. */
  Pull pull();

  /** Retries of failed pulls and uploads. */
  Retry retry();

  /** The local or NAS folder backend. */
  Local local();

  /** The Google Drive backend. */
  Drive drive();

  /** Retry policy: attempt n (1-based) waits about base-delay x 2^n, jittered, at most max-delay. */
  interface Retry {
    /** Attempts before an item fails permanently. */
    @WithDefault("5")
    int maxAttempts();

    /** Scale of the exponential backoff (the seed's "2^n minutes"). */
    @WithDefault("1m")
    Duration baseDelay();

    /** Upper bound of one wait. */
    @WithDefault("6h")
    Duration maxDelay();
  }

  /** Bounds of one pull, per-camera fairness and quotas. */
  interface Pull {
    /** Total time one pull may take, headers and body, however the camera paces it. */
    @WithDefault("10m")
    Duration deadline();

    /** Slowest body accepted, in bytes per second, measured over each {@code rate-window}. */
    @WithDefault("65536")
    long minBytesPerSecond();

    /** Window of the rate check, and the longest silence accepted inside a body. */
    @WithDefault("10s")
    Duration rateWindow();

    /** Largest clip accepted (announced and actual), in bytes. */
    @WithDefault("2147483648")
    long maxClipBytes();

    /** Largest snapshot accepted (announced and actual), in bytes. */
    @WithDefault("10485760")
    long maxSnapshotBytes();

    /** Free space the data directory keeps: a pull that would leave less waits (retried). */
    @WithDefault("1073741824")
    long freeSpaceReserveBytes();

    /** Pulls from one camera at once; the other pullers serve other cameras meanwhile. */
    @WithDefault("1")
    int perCamera();

    /** Items of one camera in the queue (not yet uploaded); beyond it its new media waits on the camera. */
    @WithDefault("2000")
    int perCameraQueueCap();

    /** How many times a cut transfer is resumed with Range within one pull. */
    @WithDefault("3")
    int maxResumes();
  }

  /** Settings of the local folder backend. */
  interface Local {
    /** Archive folder; default {@code <data-dir>/archive}. */
    Optional<Path> folder();
  }

  /** Settings of the Google Drive backend. */
  interface Drive {
    /** OAuth client id of the owner's own "Desktop app" OAuth client. */
    Optional<String> clientId();

    /** File (0600) holding the OAuth client secret. */
    Optional<Path> clientSecretFile();

    /** File (0600) where the refresh token is kept; default {@code <data-dir>/secrets/drive-token}. */
    Optional<Path> tokenFile();

    /** Name of the top folder on Drive. */
    @WithDefault("mecam")
    String rootFolder();

    /** Drive API root URL; tests point it at the fake. */
    @WithDefault("https://www.googleapis.com/")
    String rootUrl();

    /** Authorization endpoint of the OAuth flow. */
    @WithDefault("https://accounts.google.com/o/oauth2/auth")
    URI authUri();

    /** Token endpoint (code exchange and refresh). */
    @WithDefault("https://oauth2.googleapis.com/token")
    URI tokenUri();

    /** Port of the loopback redirect URI given to Google; 0 picks a free one. */
    @WithDefault("0")
    int redirectPort();

    /** First wait (ms) of the quick retries of one Drive request after 5xx, 429 or a dropped connection. */
    @WithDefault("500")
    long retryBaseMillis();

    /** How long Drive uploads pause after Google reports the storage quota full, before they are tried again. */
    @WithDefault("15m")
    Duration quotaRetry();

    /** Resumable upload chunk size in KiB (a multiple of 256). */
    @WithDefault("8192")
    int chunkKib();
  }
}
