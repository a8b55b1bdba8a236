package org.mecam.notifier.rest;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.store.DeliveryStore;
import org.mecam.notifier.store.NotificationStore;
import org.mecam.notifier.store.NotifierDatabase;
import org.mecam.notifier.webpush.VapidKeys;

/** Read-only operator API: recent notification records with their deliveries, and the VAPID key. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {
  private final NotifierDatabase db;
  private final NotificationStore notifications;
  private final DeliveryStore deliveries;
  private final VapidKeys vapid;
  private final NotifierConfig config;

  public NotificationResource(NotifierDatabase db, NotificationStore notifications, DeliveryStore deliveries,
      VapidKeys vapid, NotifierConfig config) {
    this.db = db;
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.vapid = vapid;
    this.config = config;
  }

  /** Newest first; {@code limit} 1..list-limit (default 50). */
  @GET
  @Path("/notifications")
  public List<Map<String, Object>> recent(@QueryParam("limit") @DefaultValue("50") String limitText)
      throws SQLException {
    int limit;
    try {
      limit = Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      throw new BadRequestException("limit must be a whole number");
    }
    if (limit < 1 || limit > config.listLimit()) {
      throw new BadRequestException("limit must be between 1 and " + config.listLimit());
    }
    return db.read(c -> {
      List<Map<String, Object>> out = new ArrayList<>();
      for (NotificationStore.Row r : notifications.recent(c, limit)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("sourceId", r.sourceId());
        m.put("topic", r.topic());
        m.put("camera", r.camera());
        m.put("eventId", r.eventId());
        m.put("category", r.category());
        m.put("urgency", r.urgency());
        m.put("title", r.title());
        m.put("body", r.body());
        m.put("tag", r.tag());
        m.put("mediaId", r.mediaId());
        m.put("status", r.status());
        m.put("targets", r.targets());
        m.put("suppressed", r.suppressed());
        m.put("dropped", r.dropped());
        m.put("createdAt", r.createdAt().toString());
        m.put("updatedAt", r.updatedAt().toString());
        List<Map<String, String>> ds = new ArrayList<>();
        for (String[] d : deliveries.ofNotification(c, r.id())) {
          ds.add(Map.of("channel", d[0], "target", d[1], "status", d[2], "attempts", d[3], "detail", d[4]));
        }
        m.put("deliveries", ds);
        out.add(m);
      }
      return out;
    });
  }

  /** The VAPID public key (base64url) browsers pass as {@code applicationServerKey}. */
  @GET
  @Path("/vapid-public-key")
  public Map<String, String> vapidPublicKey() {
    return Map.of("publicKey", vapid.publicKeyBase64Url());
  }
}
