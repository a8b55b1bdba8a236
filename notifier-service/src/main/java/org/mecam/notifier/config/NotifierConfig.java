package org.mecam.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;

/** The notifier's own settings ({@code mecam.notifier.*}); docs/notifier.md lists each with its default. */
@ConfigMapping(prefix = "mecam.notifier")
public interface NotifierConfig {

  /** Web Push (VAPID) settings. */
  WebPush webpush();

  /** Firebase Cloud Messaging settings. */
  Fcm fcm();

  /** Webhook settings ({@code mecam.notifier.webhook.*}). */
  Webhook webhook();

  /** Where the owner's web UI lives; deep links and signed snapshot links point here. */
  @WithDefault("http://localhost:8080")
  String webUiBaseUrl();

  /**
   * File holding the key that signs snapshot links (shared with the web UI, mode 0600); created with a
   * random key when absent. Default: {@code <data-dir>/link-signing.key}.
   */
  Optional<Path> linkSigningKeyFile();

  /** How long a signed snapshot link stays valid. */
  @WithDefault("PT24H")
  Duration snapshotLinkTtl();

  /**
   * Notifications per subscriber (web push subscription, FCM token or webhook) per sliding hour, for
   * everything but security notices (those draw on {@link #securityReservePerHour()} instead).
   */
  @WithDefault("50")
  int rateLimitPerHour();

  /**
   * Security notices (security alerts, camera offline, flood reports) per subscriber per sliding hour: a
   * reserve apart from {@link #rateLimitPerHour()} that no other category can use up.
   */
  @WithDefault("30")
  int securityReservePerHour();

  /**
   * Motion, system and other non-security notifications one camera may cause per category per sliding
   * hour; beyond it they are recorded as {@code throttled} and the camera is reported once as flooding.
   */
  @WithDefault("10")
  int cameraLimitPerHour();

  /** The same limit for one camera's security notices (they draw on every device's reserve). */
  @WithDefault("5")
  int cameraSecurityLimitPerHour();

  /**
   * The same alert (same camera, kind and raised/resolved) within this time after one was sent is
   * recorded as {@code grouped}, not pushed again.
   */
  @WithDefault("PT5M")
  Duration alertCooldown();

  /** After a motion notification for a camera, further motion within this time is grouped into it. */
  @WithDefault("PT60S")
  Duration cooldown();

  /** Local time (in {@link #summaryZone()}) when the daily summary goes out. */
  @WithDefault("20:00")
  LocalTime dailySummaryTime();

  /** Time zone of the daily summary time. */
  @WithDefault("UTC")
  String summaryZone();

  /** How many records {@code GET /api/notifications} returns at most. */
  @WithDefault("200")
  int listLimit();

  /** Web Push settings ({@code mecam.notifier.webpush.*}). */
  interface WebPush {
    /** VAPID subject: a mailto: or https: URL where push services can reach the operator. */
    @WithDefault("mailto:owner@mecam.invalid")
    String subject();

    /** Lifetime of a VAPID JWT (at most 24 h); one token is reused per push-service origin until near expiry. */
    @WithDefault("PT12H")
    Duration tokenLifetime();

    /** TTL header: how long a push service keeps an undelivered message. */
    @WithDefault("PT12H")
    Duration ttl();

    /** Concurrent push requests in flight across all endpoints. */
    @WithDefault("64")
    int maxInFlight();

    /** Timeout of one push request. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Attempts per delivery before it is given up (429/5xx/network errors). */
    @WithDefault("6")
    int maxAttempts();
  }

  /** FCM settings ({@code mecam.notifier.fcm.*}). */
  interface Fcm {
    /** Service-account JSON of the Firebase project; FCM is off without it. */
    Optional<Path> credentialsFile();

    /** Firebase project id; default: the one in the credentials file. */
    Optional<String> projectId();

    /**
     * Sends FCM requests to this base URL instead of https://fcm.googleapis.com (a local FCM peer
     * in tests and benchmarks).
     */
    Optional<String> apiUrl();

    /** Android notification channel id. */
    @WithDefault("mecam-alerts")
    String androidChannel();

    /** Android notification colour, #rrggbb. */
    @WithDefault("#d32f2f")
    String androidColor();

    /** Android small icon resource name. */
    @WithDefault("ic_notification")
    String androidIcon();

    /** APNs sound for security and motion notifications. */
    @WithDefault("default")
    String apnsSound();

    /** Attempts per delivery before it is given up (quota/unavailable). */
    @WithDefault("6")
    int maxAttempts();

    /**
     * Threads that send FCM requests (the SDK's HTTP transport blocks one thread per request; 100 is
     * the SDK's own default). The JDK's keep-alive pool ({@code http.maxConnections}) is made at least
     * this large, so every request reuses a connection.
     */
    @WithDefault("100")
    int threads();
  }

  /** Webhook settings ({@code mecam.notifier.webhook.*}); each user may set a webhook URL. */
  interface Webhook {
    /**
     * File holding the key that signs webhook requests (HMAC-SHA256, mode 0600; give receivers the
     * same file); created with a random key when absent. Default: {@code <data-dir>/webhook.key}.
     */
    Optional<Path> secretFile();

    /** Timeout of one webhook request. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Attempts per delivery before it is given up (429/5xx/network errors), 1 s, 2 s, 4 s … apart. */
    @WithDefault("6")
    int maxAttempts();
  }
}
