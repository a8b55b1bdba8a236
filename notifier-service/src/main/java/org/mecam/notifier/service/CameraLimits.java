package org.mecam.notifier.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mecam.events.Ids;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Category;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.notifier.store.NotificationStore;

/**
 * Per-camera, per-category hourly limits and alert cool-downs, counted from the notification records
 * (so they survive restarts): a camera over its limit gets its notice recorded as {@code throttled},
 * and is itself reported once per hour as flooding — one security notice, not one per message.
 */
@ApplicationScoped
public class CameraLimits {
  /** Status of a notice held back because its camera is over its hourly limit for the category. */
  public static final String THROTTLED = "throttled";

  private final NotificationPlanner planner;
  private final NotificationStore notifications;
  private final NotifierConfig config;

  public CameraLimits(NotificationPlanner planner, NotificationStore notifications, NotifierConfig config) {
    this.planner = planner;
    this.notifications = notifications;
    this.config = config;
  }

  /** The tag of a camera's flood report. */
  static String floodTag(String camera) {
    return "flood-" + camera;
  }

  /** The hourly limit of one camera in this category. */
  int limit(Category category) {
    return category == Category.SECURITY ? config.cameraSecurityLimitPerHour() : config.cameraLimitPerHour();
  }

  /**
   * Plans the notice when its camera is within its limit; otherwise records it as throttled and, the
   * first time in the hour, plans the flood report. Notices without a camera (services) pass.
   */
  public List<Plan> planWithinLimit(Connection c, Notice notice, Instant now) throws SQLException {
    if (notice.camera() == null) {
      return List.of(planner.plan(c, notice, now));
    }
    Instant hourAgo = now.minus(Duration.ofHours(1));
    // One motion event counts once (its snapshot update shares the event id); flood reports never count.
    long used = notifications.cameraUsage(c, notice.camera(), notice.category(), hourAgo, floodTag(notice.camera()));
    int limit = limit(notice.category());
    if (used < limit) {
      return List.of(planner.plan(c, notice, now));
    }
    List<Plan> plans = new ArrayList<>();
    plans.add(planner.recordOnly(c, notice, THROTTLED, now));
    String tag = floodTag(notice.camera());
    if (notifications.countTagSince(c, tag, hourAgo) == 0) {
      String category = notice.category().wire();
      Notice report = new Notice(Ids.newId(), null, notice.topic(), notice.camera(), null, Category.SECURITY, "high",
          "Camera " + notice.camera() + " is flooding notifications",
          String.format(Locale.ROOT, "More than %d %s notifications from %s within an hour. Further ones are"
              + " recorded in the history but not pushed until the hour has passed; other cameras are not"
              + " affected. A camera that does this may be faulty or tampered with.", limit, category,
              notice.camera()), tag, null, now);
      plans.add(planner.plan(c, report, now));
    }
    return plans;
  }

  /** True when the same alert (same tag and title) was sent within the alert cool-down. */
  public boolean inCooldown(Connection c, Notice notice, Instant now) throws SQLException {
    return notifications.sentLikeSince(c, notice.tag(), notice.title(), now.minus(config.alertCooldown())) > 0;
  }
}
