package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mecam.events.Command;
import org.mecam.events.CommandReply;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.uploader.crypto.MediaSealer;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.mqtt.OutboxPublisher;
import org.mecam.uploader.storage.BackendPausedException;
import org.mecam.uploader.storage.Backends;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * Executes commands from the web UI ({@code mecam/v1/uploader/commands}) and queues exactly one
 * {@link CommandReply} per command id; a redelivered command is not executed again. The actions and
 * their flat {@code args}/{@code data} maps are documented in docs/uploader.md.
 */
@ApplicationScoped
public class CommandHandler {
  private final UploaderStore store;
  private final RuntimeSettings settings;
  private final OutboxPublisher outbox;
  private final Backends backends;
  private final MediaSealer sealer;
  private final Uploader uploader;
  private final Pipeline pipeline;
  private final UploadStats stats;
  private final Clock clock;

  /** A command's outcome: ok, a message for the owner and flat data. */
  public record Result(boolean ok, String message, Map<String, Object> data) {
    static Result ok(String message, Map<String, Object> data) {
      return new Result(true, message, data);
    }

    static Result error(String message) {
      return new Result(false, message, Map.of());
    }
  }

  public CommandHandler(UploaderStore store, RuntimeSettings settings, OutboxPublisher outbox,
      Backends backends, MediaSealer sealer, Uploader uploader, Pipeline pipeline, UploadStats stats,
      Clock clock) {
    this.store = store;
    this.settings = settings;
    this.outbox = outbox;
    this.backends = backends;
    this.sealer = sealer;
    this.uploader = uploader;
    this.pipeline = pipeline;
    this.stats = stats;
    this.clock = clock;
  }

  public void handle(Command command) throws SQLException {
    if (store.commandSeen(command.id())) {
      Log.debugf("command %s already answered", command.id());
      return;
    }
    Result r;
    try {
      r = execute(command.action(), command.args());
    } catch (IllegalArgumentException e) {
      r = Result.error(e.getMessage());
    }
    Log.infof("command %s (%s): %s", command.id(), command.action(), r.ok() ? "ok" : r.message());
    CommandReply reply = new CommandReply(Payload.SCHEMA, Ids.newId(), clock.instant(), command.id(),
        command.action(), r.ok(), clip(r.message()), r.data());
    store.commandDone(command.id(), clock.millis(),
        OutboxMessage.of(Topics.UPLOADER_REPLIES, PayloadCodec.encode(reply)));
    outbox.wake();
  }

  Result execute(String action, Map<String, Object> args) throws SQLException {
    return switch (action) {
      case "get_settings" -> Result.ok("settings", settings.asMap());
      case "set_settings" -> setSettings(args);
      case "test_upload" -> testUpload();
      case "clear_queue" -> clearQueue(args);
      case "upload_now" -> {
        int n = store.releaseAll(clock.millis());
        pipeline.wake();
        yield Result.ok(n + " item(s) released for upload", map("released", n));
      }
      case "retry_failed" -> {
        int n = store.retryFailed();
        pipeline.wake();
        yield Result.ok(n + " failed item(s) queued again", map("requeued", n));
      }
      case "get_stats" -> Result.ok("statistics", flatStats());
      case "oauth_status" -> Result.ok("Google Drive link status", backends.drive().oauthStatus());
      case "oauth_authorize" -> Result.ok("Google Drive authorization", backends.drive().oauthAuthorize(args));
      case "oauth_disconnect" -> Result.ok("Google Drive disconnected", backends.drive().oauthDisconnect());
      default -> Result.error("unknown action '" + action + "'; known: get_settings, set_settings, "
          + "test_upload, clear_queue, upload_now, retry_failed, get_stats, oauth_status, oauth_authorize, "
          + "oauth_disconnect");
    };
  }

  private Result setSettings(Map<String, Object> args) throws SQLException {
    if (args.isEmpty()) {
      return Result.error("set_settings needs at least one of " + RuntimeSettings.NAMES);
    }
    settings.update(args);
    if (args.containsKey("schedule")) {
      long at = settings.schedule().eligibleAt(clock.instant(), ZoneId.systemDefault(), settings.dailyAt());
      store.reschedule(at);
    }
    return Result.ok("settings saved", settings.asMap());
  }

  private Result testUpload() {
    var refusal = uploader.blockedReason();
    if (refusal.isPresent()) {
      return Result.error("test upload impossible: " + refusal.get());
    }
    Path plain = null;
    Path sealedPath = null;
    try {
      Files.createDirectories(uploader.sealedDir());
      plain = Files.createTempFile(uploader.sealedDir(), "test-", ".bin");
      byte[] bytes = new byte[64 * 1024];
      new SecureRandom().nextBytes(bytes);
      Files.write(plain, bytes);
      String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      Instant now = clock.instant();
      MediaItem probe = new MediaItem("test-" + Ids.newId(), "test", "test", MediaKind.SNAPSHOT, "", "", sha,
          bytes.length, "application/octet-stream", now, now.toEpochMilli(), 1, ItemState.STAGED, 0, 0, 0,
          null, plain.toString(), null, null, null, null, null);
      sealedPath = uploader.sealedDir().resolve(probe.mediaId() + ".mecam");
      long t0 = System.nanoTime();
      SealedFile sealed = sealer.seal(probe, plain, sealedPath);
      String where = backends.current().testUpload(sealed, uploader.plainContext());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return Result.ok("test upload succeeded: " + where, map("backend", backends.current().name(),
          "bytes", sealed.size(), "millis", ms));
    } catch (RetryableException | BackendPausedException e) {
      return Result.error("test upload failed: " + e.getMessage());
    } catch (IOException | java.security.GeneralSecurityException e) {
      return Result.error("test upload failed: " + e.getMessage());
    } finally {
      deleteQuietly(plain);
      deleteQuietly(sealedPath);
    }
  }

  private Result clearQueue(Map<String, Object> args) throws SQLException {
    Object d = args.getOrDefault("discard", false);
    if (!(d instanceof Boolean) && !"true".equals(d) && !"false".equals(d)) {
      return Result.error("clear_queue: 'discard' must be true or false");
    }
    boolean discard = Boolean.parseBoolean(String.valueOf(d));
    List<MediaItem> removed = store.clearQueue(discard);
    long staged = 0;
    for (MediaItem i : removed) {
      if (i.stagedPath() != null) {
        staged++;
        if (discard) {
          deleteQuietly(Path.of(i.stagedPath()));
          deleteQuietly(uploader.sealedDir().resolve(i.mediaId() + ".mecam"));
          store.clearStagedPath(i.mediaId());
        }
      }
    }
    String msg = discard ? removed.size() + " item(s) removed, " + staged + " staged file(s) deleted"
        : removed.size() + " item(s) not yet pulled removed; staged media kept and still uploaded";
    return Result.ok(msg, map("cleared", removed.size(), "stagedDeleted", discard ? staged : 0,
        "discard", discard));
  }

  private Map<String, Object> flatStats() throws SQLException {
    Map<String, Object> s = stats.snapshot();
    Map<String, Object> flat = new LinkedHashMap<>();
    for (String k : List.of("backend", "schedule", "enabled", "uploaded", "failed", "retrying", "queued",
        "bytesIn", "bytesOut", "blockedReason")) {
      flat.put(k, s.get(k));
    }
    return flat;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        Log.debugf("cannot delete %s: %s", p, e.getMessage());
      }
    }
  }

  private static String clip(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
