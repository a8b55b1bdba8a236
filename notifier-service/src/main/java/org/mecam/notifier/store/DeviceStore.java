package org.mecam.notifier.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.Device;

/** Web Push subscriptions and FCM tokens, with usage counters. */
@ApplicationScoped
public class DeviceStore {

  public void upsertWebPush(Connection c, String endpoint, String p256dh, String auth, String deviceName,
      String user, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO webpush_subscription(endpoint, p256dh, auth, device_name, user_name, created_at)"
        + " VALUES (?,?,?,?,?,?) ON CONFLICT(endpoint) DO UPDATE SET p256dh=excluded.p256dh, auth=excluded.auth,"
        + " device_name=excluded.device_name, user_name=excluded.user_name",
        endpoint, p256dh, auth, deviceName, user, now);
  }

  public void upsertFcm(Connection c, String token, String platform, String deviceName, String user,
      Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO fcm_token(token, platform, device_name, user_name, created_at) VALUES (?,?,?,?,?)"
        + " ON CONFLICT(token) DO UPDATE SET platform=excluded.platform, device_name=excluded.device_name,"
        + " user_name=excluded.user_name", token, platform, deviceName, user, now);
  }

  /** Sets (or replaces) the user's webhook URL. */
  public void setWebhook(Connection c, String user, String url, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO webhook(user_name, url, created_at) VALUES (?,?,?) ON CONFLICT(user_name) DO UPDATE"
        + " SET url=excluded.url, created_at=CASE WHEN url=excluded.url THEN created_at ELSE excluded.created_at END",
        user, url, now);
  }

  /** Removes the user's webhook; true if there was one. */
  public boolean removeWebhook(Connection c, String user) throws SQLException {
    return Sql.update(c, "DELETE FROM webhook WHERE user_name=?", user) > 0;
  }

  /** The user's webhook URL, or null. */
  public String webhook(Connection c, String user) throws SQLException {
    return Sql.one(c, "SELECT url FROM webhook WHERE user_name=?", rs -> rs.getString(1), user);
  }

  public boolean remove(Connection c, Channel channel, String address) throws SQLException {
    return switch (channel) {
      case WEBPUSH -> Sql.update(c, "DELETE FROM webpush_subscription WHERE endpoint=?", address) == 1;
      case FCM -> Sql.update(c, "DELETE FROM fcm_token WHERE token=?", address) == 1;
      case WEBHOOK -> Sql.update(c, "DELETE FROM webhook WHERE url=?", address) > 0;
    };
  }

  public void markUsed(Connection c, Channel channel, String address, Instant now) throws SQLException {
    switch (channel) {
      case WEBPUSH -> Sql.update(c,
          "UPDATE webpush_subscription SET last_used_at=?, sent_count=sent_count+1 WHERE endpoint=?", now, address);
      case FCM -> Sql.update(c, "UPDATE fcm_token SET last_used_at=?, sent_count=sent_count+1 WHERE token=?", now,
          address);
      case WEBHOOK -> Sql.update(c, "UPDATE webhook SET last_used_at=?, sent_count=sent_count+1 WHERE url=?", now,
          address);
    }
  }

  public Device find(Connection c, Channel channel, String address) throws SQLException {
    return switch (channel) {
      case WEBPUSH -> Sql.one(c, "SELECT * FROM webpush_subscription WHERE endpoint=?", DeviceStore::webPush, address);
      case FCM -> Sql.one(c, "SELECT * FROM fcm_token WHERE token=?", DeviceStore::fcm, address);
      case WEBHOOK -> Sql.one(c, "SELECT * FROM webhook WHERE url=? LIMIT 1", DeviceStore::webhook, address);
    };
  }

  public List<Device> all(Connection c) throws SQLException {
    List<Device> out = new ArrayList<>(
        Sql.query(c, "SELECT * FROM webpush_subscription ORDER BY created_at", DeviceStore::webPush));
    out.addAll(Sql.query(c, "SELECT * FROM fcm_token ORDER BY created_at", DeviceStore::fcm));
    out.addAll(Sql.query(c, "SELECT * FROM webhook ORDER BY created_at", DeviceStore::webhook));
    return out;
  }

  public int clearAll(Connection c) throws SQLException {
    return Sql.update(c, "DELETE FROM webpush_subscription") + Sql.update(c, "DELETE FROM fcm_token")
        + Sql.update(c, "DELETE FROM webhook");
  }

  private static Device webhook(ResultSet rs) throws SQLException {
    return new Device(Channel.WEBHOOK, rs.getString("url"), "webhook", rs.getString("user_name"), "webhook", null,
        null, Sql.instant(rs, "created_at"), Sql.instant(rs, "last_used_at"), rs.getLong("sent_count"));
  }

  private static Device webPush(ResultSet rs) throws SQLException {
    return new Device(Channel.WEBPUSH, rs.getString("endpoint"), rs.getString("device_name"),
        rs.getString("user_name"), "web", rs.getString("p256dh"), rs.getString("auth"),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "last_used_at"), rs.getLong("sent_count"));
  }

  private static Device fcm(ResultSet rs) throws SQLException {
    return new Device(Channel.FCM, rs.getString("token"), rs.getString("device_name"), rs.getString("user_name"),
        rs.getString("platform"), null, null, Sql.instant(rs, "created_at"), Sql.instant(rs, "last_used_at"),
        rs.getLong("sent_count"));
  }
}
