package org.mecam.notifier.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Category;
import org.mecam.notifier.domain.Delivery;
import org.mecam.notifier.domain.Device;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.domain.Preferences;
import org.mecam.notifier.domain.PushJob;
import org.mecam.notifier.store.DeliveryStore;
import org.mecam.notifier.store.DeviceStore;
import org.mecam.notifier.store.NotificationStore;
import org.mecam.notifier.store.PreferenceStore;

/**
 * Decides, inside the caller's transaction, who gets a notice: each device's user must want the
 * category, quiet hours hold back all but security notices, and a device over its hourly budget gets a
 * {@code dropped} row instead of a send. Security notices draw on a reserve of their own, counted apart
 * from the general budget, so no other traffic can use it up (per-camera limits: {@link CameraLimits}). Writes the notification record and its outbox rows, and
 * hands the sends to the dispatcher at once, before the caller commits: the commit's fsync then
 * overlaps with encryption and the HTTP request instead of delaying them. Should the transaction
 * roll back, the message is redelivered and sent again — a push is at-least-once, never lost.
 */
@ApplicationScoped
public class NotificationPlanner {
  /** Notification statuses. */
  public static final String SENT = "sent";
  public static final String NO_TARGETS = "no-targets";
  public static final String SUPPRESSED = "suppressed";

  private final NotificationStore notifications;
  private final DeviceStore devices;
  private final PreferenceStore preferences;
  private final DeliveryStore deliveries;
  private final SnapshotLinks links;
  private final DeliveryDispatcher dispatcher;
  private final NotifierConfig config;

  /** The outcome of planning: the record's status and counts, and the sends to make after commit. */
  public record Plan(Notice notice, String status, int targets, int suppressed, int dropped, List<PushJob> jobs) {
    public static Plan recordOnly(Notice notice, String status) {
      return new Plan(notice, status, 0, 0, 0, List.of());
    }
  }

  public NotificationPlanner(NotificationStore notifications, DeviceStore devices, PreferenceStore preferences,
      DeliveryStore deliveries, SnapshotLinks links, DeliveryDispatcher dispatcher, NotifierConfig config) {
    this.notifications = notifications;
    this.devices = devices;
    this.preferences = preferences;
    this.deliveries = deliveries;
    this.links = links;
    this.dispatcher = dispatcher;
    this.config = config;
  }

  /** Records a notice that is not sent to anyone (quiet, grouped, snoozed). */
  public Plan recordOnly(Connection c, Notice notice, String status, Instant now) throws SQLException {
    notifications.insert(c, notice, status, now);
    return Plan.recordOnly(notice, status);
  }

  /** Records the notice and queues it for every device that should get it. */
  public Plan plan(Connection c, Notice notice, Instant now) throws SQLException {
    return plan(c, notice, now, d -> true, false);
  }

  /**
   * Records the notice and queues it for the devices {@code filter} accepts; {@code force} skips
   * preferences and quiet hours (test notifications), never the rate limit.
   */
  public Plan plan(Connection c, Notice notice, Instant now, Predicate<Device> filter, boolean force)
      throws SQLException {
    notifications.insert(c, notice, SENT, now);
    Map<String, Preferences> prefs = new HashMap<>();
    List<PushJob> jobs = new ArrayList<>();
    int suppressed = 0;
    int dropped = 0;
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Map<String, String> images = new HashMap<>();
    List<Device> all = devices.all(c);
    // Many devices: one query counts them all, but only after the first send has started (it reads every
    // delivery of the last hour); the first device, and all of them when there are few, are counted alone.
    boolean countAllAtOnce = all.size() > 50;
    Map<String, Long> counts = null;
    boolean reserved = notice.category() == Category.SECURITY;
    int limit = reserved ? config.securityReservePerHour() : config.rateLimitPerHour();
    for (Device device : all) {
      if (!filter.test(device)) {
        continue;
      }
      Preferences p = prefs.get(device.user());
      if (p == null) {
        p = preferences.get(c, device.user());
        prefs.put(device.user(), p);
      }
      if (!force && (!p.wants(notice.category()) || (!notice.breaksQuietHours() && p.isQuietAt(now)))) {
        suppressed++;
        continue;
      }
      boolean withImage = notice.mediaId() != null && p.includeSnapshots();
      if (countAllAtOnce && counts == null && !jobs.isEmpty()) {
        counts = deliveries.countsSince(c, reserved, hourAgo);
      }
      long sentLastHour = counts != null ? counts.getOrDefault(device.address(), 0L)
          : deliveries.countSince(c, device.address(), reserved, hourAgo);
      if (sentLastHour >= limit) {
        deliveries.insert(c, notice.id(), device.channel(), device.address(), DeliveryStore.DROPPED, withImage,
            reserved, now, (reserved ? "security reserve " : "rate limit ") + limit + "/h");
        dropped++;
        continue;
      }
      long id = deliveries.insert(c, notice.id(), device.channel(), device.address(), DeliveryStore.PENDING,
          withImage, reserved, now, null);
      // Snapshot links carry the user they were issued to, so removing the user revokes them.
      String image = withImage ? images.computeIfAbsent(device.user(), u -> links.snapshotUrl(notice.mediaId(), u))
          : null;
      jobs.add(new PushJob(new Delivery(id, notice.id(), device.channel(), device.address(), withImage, 0), device,
          notice, image));
      if (jobs.size() == 1) {
        // The first device need not wait while the other outbox rows are written.
        dispatcher.submit(List.copyOf(jobs));
      }
    }
    String status = !jobs.isEmpty() ? SENT : (suppressed + dropped > 0 ? SUPPRESSED : NO_TARGETS);
    notifications.setOutcome(c, notice.id(), status, jobs.size(), suppressed, dropped, now);
    if (jobs.size() > 1) {
      dispatcher.submit(jobs.subList(1, jobs.size()));
    }
    return new Plan(notice, status, jobs.size(), suppressed, dropped, jobs);
  }
}
