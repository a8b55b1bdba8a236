package org.mecam.notifier.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mecam.events.PayloadCodec;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.domain.PushJob;

/**
 * What a device receives (docs/notifier.md, "Push payload"): title, body, tag, deep link, optional
 * snapshot link and the actions view, dismiss, snooze (camera, 1 h) and disarm.
 */
@ApplicationScoped
public class PushContent {
  /** How long the "snooze" action snoozes a camera. */
  public static final int SNOOZE_MINUTES = 60;

  private final SnapshotLinks links;

  public PushContent(SnapshotLinks links) {
    this.links = links;
  }

  /** The deep link the notification opens. */
  public String url(Notice n) {
    return links.eventUrl(n.eventId());
  }

  /** The actions a notice offers; snooze and disarm only when it concerns a camera. */
  public List<Map<String, Object>> actions(Notice n) {
    List<Map<String, Object>> actions = new ArrayList<>();
    actions.add(Map.of("action", "view", "title", "View"));
    actions.add(Map.of("action", "dismiss", "title", "Dismiss"));
    if (n.camera() != null) {
      actions.add(Map.of("action", "snooze", "title", "Snooze 1 h", "camera", n.camera(), "minutes", SNOOZE_MINUTES));
      actions.add(Map.of("action", "disarm", "title", "Disarm", "camera", n.camera()));
    }
    return actions;
  }

  /** The full Web Push JSON payload. */
  public byte[] webPush(PushJob job) {
    Notice n = job.notice();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id());
    m.put("title", n.title());
    m.put("body", n.body());
    m.put("tag", n.tag());
    m.put("category", n.category().wire());
    m.put("urgency", n.urgency());
    m.put("time", n.time().toString());
    m.put("camera", n.camera());
    m.put("eventId", n.eventId());
    m.put("url", url(n));
    m.put("image", job.imageUrl());
    m.put("actions", actions(n));
    // The snapshot of a motion event already notified: it replaces that notification silently.
    boolean update = n.isUpdate();
    m.put("update", update);
    m.put("renotify", !update);
    m.put("silent", update);
    return json(m);
  }

  /** A smaller payload for a push service that answered 413: no picture, no actions, short body. */
  public byte[] webPushSmall(PushJob job) {
    Notice n = job.notice();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id());
    m.put("title", clip(n.title(), 80));
    m.put("body", clip(n.body(), 120));
    m.put("tag", n.tag());
    m.put("url", url(n));
    if (n.isUpdate()) {
      m.put("update", true);
    }
    return json(m);
  }

  /** The FCM data map (string values only): notification id, category, event id, camera, deep link. */
  public Map<String, String> fcmData(Notice n) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("notificationId", n.id());
    d.put("category", n.category().wire());
    d.put("url", url(n));
    if (n.eventId() != null) {
      d.put("eventId", n.eventId());
    }
    if (n.camera() != null) {
      d.put("camera", n.camera());
      d.put("actions", "view,dismiss,snooze,disarm");
      d.put("snoozeMinutes", String.valueOf(SNOOZE_MINUTES));
    } else {
      d.put("actions", "view,dismiss");
    }
    return d;
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static byte[] json(Object o) {
    try {
      return PayloadCodec.mapper().writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
