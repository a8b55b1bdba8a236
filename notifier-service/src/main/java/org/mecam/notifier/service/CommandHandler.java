package org.mecam.notifier.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.mecam.events.CameraIds;
import org.mecam.events.Command;
import org.mecam.events.CommandReply;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.notifier.domain.Category;
import org.mecam.notifier.fcm.FcmChannel;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.Device;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.domain.Preferences;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.notifier.store.CameraStore;
import org.mecam.notifier.store.CommandStore;
import org.mecam.notifier.store.DeliveryStore;
import org.mecam.notifier.store.DeviceStore;
import org.mecam.notifier.store.NotificationStore;
import org.mecam.notifier.store.NotifierDatabase;
import org.mecam.notifier.store.PreferenceStore;
import org.mecam.notifier.webpush.VapidKeys;

/**
 * Answers the web UI's commands on {@code notifier/commands} (docs/notifier.md lists them): each
 * command's effect and its reply are committed together, and a redelivered command gets the same
 * reply without acting twice.
 */
@ApplicationScoped
public class CommandHandler {
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private final NotifierDatabase db;
  private final DeviceStore devices;
  private final PreferenceStore preferences;
  private final CameraStore cameras;
  private final NotificationStore notifications;
  private final CommandStore store;
  private final NotificationPlanner planner;
  private final DeliveryStore deliveries;
  private final VapidKeys vapid;
  private final FcmChannel fcm;
  private final Clock clock;

  /** The encoded reply to publish and the notifications to send (for the test actions). */
  public record Result(byte[] reply, List<Plan> plans, List<Runnable> afterCommit) {}

  /** A command that cannot be carried out, with the reason for the reply. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  public CommandHandler(NotifierDatabase db, DeviceStore devices, PreferenceStore preferences, CameraStore cameras,
      NotificationStore notifications, CommandStore store, NotificationPlanner planner, DeliveryStore deliveries,
      VapidKeys vapid, FcmChannel fcm, Clock clock) {
    this.deliveries = deliveries;
    this.db = db;
    this.devices = devices;
    this.preferences = preferences;
    this.cameras = cameras;
    this.notifications = notifications;
    this.store = store;
    this.planner = planner;
    this.vapid = vapid;
    this.fcm = fcm;
    this.clock = clock;
  }

  public Result handle(Command cmd) throws SQLException {
    Instant now = clock.instant();
    return db.inTransaction(c -> {
      String earlier = store.reply(c, cmd.id());
      if (earlier != null) {
        return new Result(earlier.getBytes(StandardCharsets.UTF_8), List.of(), List.of());
      }
      Map<String, Object> data = new LinkedHashMap<>();
      List<Plan> plans = new ArrayList<>();
      List<Runnable> after = new ArrayList<>();
      boolean ok = true;
      String message;
      try {
        message = execute(c, cmd, data, plans, after, now);
      } catch (Refused e) {
        ok = false;
        message = e.getMessage();
        data.clear();
        plans.clear();
        after.clear();
        Log.infof("command %s (%s) refused: %s", cmd.action(), cmd.id(), message);
      }
      CommandReply reply = new CommandReply(Payload.SCHEMA, Ids.newId(), now, cmd.id(), cmd.action(), ok,
          message, data);
      byte[] encoded = PayloadCodec.encode(reply);
      store.saveReply(c, cmd.id(), new String(encoded, StandardCharsets.UTF_8), now);
      return new Result(encoded, plans, after);
    });
  }

  private String execute(Connection c, Command cmd, Map<String, Object> data, List<Plan> plans, List<Runnable> after,
      Instant now)
      throws SQLException, Refused {
    Map<String, Object> a = cmd.args();
    switch (cmd.action()) {
      case "vapid_key" -> {
        data.put("public_key", vapid.publicKeyBase64Url());
        return "VAPID public key";
      }
      case "webpush_subscribe" -> {
        String endpoint = endpoint(text(a, "endpoint", 2048));
        String p256dh = text(a, "p256dh", 200);
        String auth = text(a, "auth", 100);
        checkKeys(p256dh, auth);
        Actor actor = actor(a);
        String user = actor.system() ? user(a) : actor.user();
        Device existing = devices.find(c, Channel.WEBPUSH, endpoint);
        // Someone else's endpoint is not taken over (its pushes would be encrypted to the caller's keys); the
        // same browser subscription (same keys) may change hands, e.g. on a shared browser.
        if (existing != null && !existing.user().equals(user)
            && !(existing.p256dh().equals(p256dh) && existing.auth().equals(auth))) {
          throw new Refused("this push endpoint is registered to another user");
        }
        devices.upsertWebPush(c, endpoint, p256dh, auth, text(a, "device_name", 100), user, now);
        data.put("endpoint", endpoint);
        return "subscribed";
      }
      case "webpush_unsubscribe" -> {
        String endpoint = text(a, "endpoint", 2048);
        mayRemove(c, actor(a), Channel.WEBPUSH, endpoint);
        boolean removed = devices.remove(c, Channel.WEBPUSH, endpoint);
        data.put("removed", removed);
        return removed ? "unsubscribed" : "no such subscription";
      }
      case "fcm_register" -> {
        String token = text(a, "token", 4096);
        if (!token.matches("[A-Za-z0-9_:.\\-]+")) {
          throw new Refused("arg 'token' has characters an FCM token never has");
        }
        String platform = text(a, "platform", 10);
        if (!platform.matches("android|ios|web")) {
          throw new Refused("arg 'platform' must be android, ios or web");
        }
        Actor actor = actor(a);
        String user = actor.system() ? user(a) : actor.user();
        Device existing = devices.find(c, Channel.FCM, token);
        if (existing != null && !existing.user().equals(user)) {
          throw new Refused("this FCM token is registered to another user");
        }
        devices.upsertFcm(c, token, platform, text(a, "device_name", 100), user, now);
        after.add(() -> fcm.subscribe(List.of(token), FcmChannel.ALL_TOPIC));
        return "registered";
      }
      case "fcm_unregister" -> {
        String token = text(a, "token", 4096);
        mayRemove(c, actor(a), Channel.FCM, token);
        boolean removed = devices.remove(c, Channel.FCM, token);
        if (removed) {
          after.add(() -> fcm.unsubscribe(List.of(token), FcmChannel.ALL_TOPIC));
        }
        data.put("removed", removed);
        return removed ? "unregistered" : "no such token";
      }
      case "devices" -> {
        List<Map<String, Object>> list = new ArrayList<>();
        Actor actor = actor(a);
        for (Device d : devices.all(c)) {
          if (!actor.mayManage(d.user())) {
            continue;
          }
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("channel", d.channel().wire());
          m.put("id", d.address());
          m.put("device_name", d.deviceName());
          m.put("user", d.user());
          m.put("platform", d.platform());
          m.put("created", d.createdAt().toString());
          m.put("last_used", d.lastUsedAt() == null ? null : d.lastUsedAt().toString());
          m.put("sent_count", d.sentCount());
          list.add(m);
        }
        data.put("devices", list);
        return list.size() + " devices";
      }
      case "settings_get" -> {
        String user = user(a);
        putSettings(data, preferences.get(c, user));
        data.put("webhook_url", devices.webhook(c, user));
        return "settings";
      }
      case "settings_set" -> {
        String user = user(a);
        Preferences p = apply(preferences.get(c, user), a);
        preferences.put(c, p);
        if (a.containsKey("webhook_url")) {
          Object url = a.get("webhook_url");
          if (url == null || "".equals(url)) {
            devices.removeWebhook(c, user);
          } else {
            devices.setWebhook(c, user, url(text(a, "webhook_url", 2048), "webhook_url"), now);
          }
        }
        putSettings(data, p);
        data.put("webhook_url", devices.webhook(c, user));
        return "saved";
      }
      case "test_webpush", "test_fcm", "test_webhook", "test_broadcast" -> {
        Predicate<Device> filter = d -> true;
        if (cmd.action().equals("test_webpush")) {
          filter = d -> d.channel() == Channel.WEBPUSH;
        } else if (cmd.action().equals("test_fcm")) {
          filter = d -> d.channel() == Channel.FCM;
        } else if (cmd.action().equals("test_webhook")) {
          filter = d -> d.channel() == Channel.WEBHOOK;
        }
        Actor actor = actor(a);
        // A viewer tests only their own devices; owners (and the service itself) may name a user or test all.
        String onlyUser = actor.owner() ? optionalText(a, "user", 64) : actor.user();
        if (onlyUser != null) {
          filter = filter.and(d -> d.user().equals(onlyUser));
        }
        Notice n = new Notice(Ids.newId(), cmd.id(), null, null, null, Category.TEST, "normal",
            "mecam test notification", "If you can read this, notifications reach this device.", "test", null, now);
        Plan plan = planner.plan(c, n, now, filter, true);
        plans.add(plan);
        data.put("notification_id", n.id());
        data.put("queued", plan.targets());
        data.put("dropped", plan.dropped());
        return "queued for " + plan.targets() + " devices";
      }
      case "webhook_remove" -> {
        Actor actor = actor(a);
        String user = a.get("user") == null ? actor.user() : user(a);
        if (user == null) {
          throw new Refused("arg 'user' is required");
        }
        if (!actor.mayManage(user)) {
          throw new Refused("no such webhook of yours");
        }
        boolean removed = devices.removeWebhook(c, user);
        data.put("removed", removed);
        return removed ? "webhook removed" : "no webhook";
      }
      case "remove-user-devices" -> {
        Actor actor = actor(a);
        if (!actor.owner()) {
          throw new Refused("only an owner can remove another user's devices");
        }
        String user = user(a);
        List<String> tokens = new ArrayList<>();
        int removed = 0;
        for (Device d : devices.all(c)) {
          if (d.user().equals(user) && d.channel() != Channel.WEBHOOK) {
            removed += devices.remove(c, d.channel(), d.address()) ? 1 : 0;
            deliveries.closePendingFor(c, d.address(), now);
            if (d.channel() == Channel.FCM) {
              tokens.add(d.address());
            }
          }
        }
        removed += devices.removeWebhook(c, user) ? 1 : 0;
        preferences.delete(c, user);
        if (!tokens.isEmpty()) {
          after.add(() -> fcm.unsubscribe(tokens, FcmChannel.ALL_TOPIC));
        }
        data.put("user", user);
        data.put("removed", removed);
        Log.infof("user %s removed: %d devices deleted", user, removed);
        return "removed " + removed + " devices of " + user;
      }
      case "clear_all" -> {
        if (!actor(a).owner()) {
          throw new Refused("only an owner can clear the notification history or devices");
        }
        String what = a.get("what") == null ? "notifications" : text(a, "what", 20);
        if (!what.matches("notifications|devices|all")) {
          throw new Refused("arg 'what' must be notifications, devices or all");
        }
        if (!what.equals("devices")) {
          data.put("notifications_deleted", notifications.deleteAll(c));
        }
        if (!what.equals("notifications")) {
          data.put("devices_deleted", devices.clearAll(c));
        }
        return "cleared " + what;
      }
      case "snooze_camera" -> {
        String camera = text(a, "camera", 40);
        if (CameraIds.problem(camera) != null) {
          throw new Refused("arg 'camera': " + CameraIds.problem(camera));
        }
        long minutes = a.get("minutes") == null ? 60 : number(a, "minutes");
        if (minutes < 0 || minutes > 7 * 24 * 60) {
          throw new Refused("arg 'minutes' must be 0..10080");
        }
        Instant until = now.plus(Duration.ofMinutes(minutes));
        cameras.snooze(c, camera, until, now);
        data.put("camera", camera);
        data.put("snoozed_until", until.toString());
        return minutes == 0 ? "snooze cleared" : "snoozed for " + minutes + " min";
      }
      default -> throw new Refused("unknown action '" + cmd.action() + "'");
    }
  }

  /**
   * Who a command acts for: the web UI sends {@code actor} (the logged-in user) and {@code role}
   * ({@code owner}/{@code viewer}) with every device command. Without an actor the command comes from a
   * service client itself (only the web UI and svc-admin may publish commands, by broker ACL) and acts
   * with an owner's rights. An actor without a known role is treated as a viewer.
   */
  record Actor(String user, boolean owner, boolean system) {
    boolean mayManage(String deviceUser) {
      return owner || deviceUser.equals(user);
    }
  }

  static Actor actor(Map<String, Object> a) throws Refused {
    if (a.get("actor") == null) {
      return new Actor(null, true, true);
    }
    String user = text(a, "actor", 64);
    if (!user.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new Refused("arg 'actor' must be 1-64 characters of [A-Za-z0-9._@-]");
    }
    Object role = a.get("role");
    if (role != null && !"owner".equals(role) && !"viewer".equals(role)) {
      throw new Refused("arg 'role' must be owner or viewer");
    }
    return new Actor(user, "owner".equals(role), false);
  }

  /** A viewer may remove only their own devices; someone else's is refused as if it did not exist. */
  private void mayRemove(Connection c, Actor actor, Channel channel, String address) throws SQLException, Refused {
    if (actor.owner()) {
      return;
    }
    Device d = devices.find(c, channel, address);
    if (d != null && !d.user().equals(actor.user())) {
      throw new Refused("no such device of yours");
    }
  }

  private static void putSettings(Map<String, Object> data, Preferences p) {
    data.put("user", p.user());
    data.put("motion", p.motion());
    data.put("security", p.security());
    data.put("system", p.system());
    data.put("daily_summary", p.dailySummary());
    data.put("include_snapshots", p.includeSnapshots());
    data.put("quiet_start", p.quietStart() == null ? null : p.quietStart().toString());
    data.put("quiet_end", p.quietEnd() == null ? null : p.quietEnd().toString());
    data.put("timezone", p.timezone().getId());
  }

  private static Preferences apply(Preferences p, Map<String, Object> a) throws Refused {
    LocalTime qs = a.containsKey("quiet_start") ? hhmm(a, "quiet_start") : p.quietStart();
    LocalTime qe = a.containsKey("quiet_end") ? hhmm(a, "quiet_end") : p.quietEnd();
    ZoneId zone = p.timezone();
    if (a.containsKey("timezone")) {
      try {
        zone = ZoneId.of(text(a, "timezone", 64));
      } catch (DateTimeException e) {
        throw new Refused("arg 'timezone' is not a known time zone");
      }
    }
    return new Preferences(p.user(), bool(a, "motion", p.motion()), bool(a, "security", p.security()),
        bool(a, "system", p.system()), bool(a, "daily_summary", p.dailySummary()),
        bool(a, "include_snapshots", p.includeSnapshots()), qs, qe, zone);
  }

  private static LocalTime hhmm(Map<String, Object> a, String key) throws Refused {
    Object v = a.get(key);
    if (v == null || v.toString().isEmpty()) {
      return null;
    }
    if (!v.toString().matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
      throw new Refused("arg '" + key + "' must be HH:MM (24 h) or empty");
    }
    return LocalTime.parse(v.toString());
  }

  private static boolean bool(Map<String, Object> a, String key, boolean current) throws Refused {
    Object v = a.get(key);
    if (v == null) {
      return current;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v.toString().equals("true") || v.toString().equals("false")) {
      return Boolean.parseBoolean(v.toString());
    }
    throw new Refused("arg '" + key + "' must be true or false");
  }

  private static long number(Map<String, Object> a, String key) throws Refused {
    Object v = a.get(key);
    if (v instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new Refused("arg '" + key + "' must be a whole number");
    }
  }

  private static String user(Map<String, Object> a) throws Refused {
    String u = text(a, "user", 64);
    if (!u.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new Refused("arg 'user' must be 1-64 characters of [A-Za-z0-9._@-]");
    }
    return u;
  }

  private static String text(Map<String, Object> a, String key, int max) throws Refused {
    Object v = a.get(key);
    if (!(v instanceof String s) || s.isBlank() || s.length() > max) {
      throw new Refused("arg '" + key + "' must be non-blank text of at most " + max + " characters");
    }
    return s;
  }

  private static String optionalText(Map<String, Object> a, String key, int max) throws Refused {
    return a.get(key) == null ? null : text(a, key, max);
  }

  /** Push endpoints must be https; plain http is accepted only on loopback (local push peers). */
  static String endpoint(String endpoint) throws Refused {
    return url(endpoint, "endpoint");
  }

  /** An https URL (plain http only on loopback: local peers in tests), for push endpoints and webhooks. */
  static String url(String endpoint, String arg) throws Refused {
    URI u;
    try {
      u = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new Refused("arg '" + arg + "' is not a URL");
    }
    String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    if (!"https".equals(u.getScheme()) && !("http".equals(u.getScheme()) && loopback)) {
      throw new Refused("arg '" + arg + "' must be an https URL");
    }
    return endpoint;
  }

  private static void checkKeys(String p256dh, String auth) throws Refused {
    try {
      VapidKeys.publicKeyFrom(UNB64.decode(p256dh));
    } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
      throw new Refused("arg 'p256dh' must be a base64url uncompressed P-256 public key");
    }
    try {
      if (UNB64.decode(auth).length != 16) {
        throw new Refused("arg 'auth' must be 16 bytes, base64url");
      }
    } catch (IllegalArgumentException e) {
      throw new Refused("arg 'auth' must be 16 bytes, base64url");
    }
  }
}
