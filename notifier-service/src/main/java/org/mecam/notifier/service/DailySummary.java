package org.mecam.notifier.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mecam.events.Ids;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Category;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.mqtt.Publisher;
import org.mecam.notifier.service.NotificationPlanner.Plan;
import org.mecam.notifier.store.CommandStore;
import org.mecam.notifier.store.NotificationStore;
import org.mecam.notifier.store.NotifierDatabase;

/**
 * Once a day at the configured time, sends users who asked for it a summary of the last 24 hours
 * (motion, security and system notifications per camera); the day it last went out is stored, so a
 * restart neither skips nor repeats it.
 */
@ApplicationScoped
public class DailySummary {
  static final String LAST_DAY = "daily-summary-last-day";

  private final NotifierDatabase db;
  private final NotificationStore notifications;
  private final CommandStore settings;
  private final NotificationPlanner planner;
  private final Publisher publisher;
  private final NotifierConfig config;
  private final Clock clock;

  public DailySummary(NotifierDatabase db, NotificationStore notifications, CommandStore settings,
      NotificationPlanner planner, Publisher publisher, NotifierConfig config,
      Clock clock) {
    this.db = db;
    this.notifications = notifications;
    this.settings = settings;
    this.planner = planner;
    this.publisher = publisher;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    try {
      runIfDue(clock.instant());
    } catch (SQLException | RuntimeException e) {
      Log.warnf("daily summary failed: %s", e.toString());
    }
  }

  /** Sends the summary if its time of day has passed and it has not gone out today. */
  public Optional<Plan> runIfDue(Instant now) throws SQLException {
    ZonedDateTime local = now.atZone(ZoneId.of(config.summaryZone()));
    if (local.toLocalTime().isBefore(config.dailySummaryTime())) {
      return Optional.empty();
    }
    LocalDate today = local.toLocalDate();
    Plan plan = db.inTransaction(c -> {
      if (today.toString().equals(settings.setting(c, LAST_DAY))) {
        return null;
      }
      settings.putSetting(c, LAST_DAY, today.toString());
      List<String[]> counts = notifications.countsSince(c, now.minus(Duration.ofHours(24)));
      Notice n = new Notice(Ids.newId(), null, null, null, null, Category.SUMMARY, "low",
          "mecam daily summary " + today, describe(counts), "daily-summary", null, now);
      return planner.plan(c, n, now);
    });
    if (plan == null) {
      return Optional.empty();
    }
    Log.infof("daily summary %s queued for %d devices", today, plan.targets());
    publisher.sent(plan);
    return Optional.of(plan);
  }

  static String describe(List<String[]> counts) {
    if (counts.isEmpty()) {
      return "Nothing happened in the last 24 hours.";
    }
    Map<String, Integer> totals = new LinkedHashMap<>();
    Map<String, StringBuilder> perCamera = new LinkedHashMap<>();
    for (String[] row : counts) {
      int n = Integer.parseInt(row[2]);
      totals.merge(row[0], n, Integer::sum);
      if (!row[1].isEmpty()) {
        StringBuilder sb = perCamera.computeIfAbsent(row[0], k -> new StringBuilder());
        sb.append(sb.length() == 0 ? "" : ", ").append(row[1]).append(' ').append(n);
      }
    }
    StringBuilder out = new StringBuilder("Last 24 h: ");
    boolean first = true;
    for (var e : totals.entrySet()) {
      out.append(first ? "" : "; ").append(e.getValue()).append(' ').append(e.getKey());
      if (perCamera.containsKey(e.getKey())) {
        out.append(" (").append(perCamera.get(e.getKey())).append(')');
      }
      first = false;
    }
    return out.append('.').toString();
  }
}
