package org.mecam.notifier.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.Delivery;
import org.mecam.notifier.domain.Device;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.domain.PushJob;
import org.mecam.notifier.domain.PushOutcome;
import org.mecam.notifier.store.DeliveryStore;
import org.mecam.notifier.store.DeviceStore;
import org.mecam.notifier.store.NotificationStore;
import org.mecam.notifier.store.NotifierDatabase;

/**
 * Sends queued deliveries through their channel and records each outcome: sent, device gone
 * (removed at once), retry later (per endpoint: Retry-After or exponential backoff, other endpoints
 * unaffected) or failed. Outcomes are written in batches by one writer thread, so a fan-out to many
 * devices costs a few transactions, not one per device.
 */
@ApplicationScoped
public class DeliveryDispatcher {
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final int WRITE_BATCH = 1000;

  private final Map<Channel, PushChannel> channels = new EnumMap<>(Channel.class);
  private final NotifierDatabase db;
  private final DeliveryStore deliveries;
  private final DeviceStore devices;
  private final NotificationStore notifications;
  private final SnapshotLinks links;
  private final NotifierConfig config;
  private final Clock clock;
  private final MeterRegistry registry;
  /** Per endpoint/token: not before this instant (after a 429/5xx). */
  private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<PushOutcome> outcomes = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "notifier-retry");
    t.setDaemon(true);
    return t;
  });
  private final Thread writer;
  private volatile boolean running = true;

  public DeliveryDispatcher(Instance<PushChannel> available, NotifierDatabase db, DeliveryStore deliveries,
      DeviceStore devices, NotificationStore notifications, SnapshotLinks links, NotifierConfig config,
      Clock clock, MeterRegistry registry) {
    for (PushChannel ch : available) {
      channels.put(ch.channel(), ch);
    }
    this.db = db;
    this.deliveries = deliveries;
    this.devices = devices;
    this.notifications = notifications;
    this.links = links;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.writer = new Thread(this::writeLoop, "notifier-outcomes");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Sends now (or when the endpoint's backoff ends) every job; call after the plan was committed. */
  public void submit(List<PushJob> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Map<Channel, List<PushJob>> ready = new EnumMap<>(Channel.class);
    for (PushJob job : jobs) {
      Instant nb = notBefore.get(job.delivery().address());
      if (nb != null && nb.isAfter(now)) {
        later(job, Duration.between(now, nb));
      } else {
        ready.computeIfAbsent(job.delivery().channel(), k -> new ArrayList<>()).add(job);
      }
    }
    ready.forEach(this::sendNow);
  }

  private void sendNow(Channel channel, List<PushJob> jobs) {
    PushChannel ch = channels.get(channel);
    if (ch == null || !ch.enabled()) {
      jobs.forEach(j -> outcomes.add(PushOutcome.failed(j, channel.wire() + " is not configured")));
      return;
    }
    try {
      ch.send(jobs, outcomes::add);
    } catch (RuntimeException e) {
      Log.warnf("%s send failed: %s", channel.wire(), e.toString());
      jobs.forEach(j -> outcomes.add(PushOutcome.retry(j, null, e.toString())));
    }
  }

  private void later(PushJob job, Duration delay) {
    scheduler.schedule(() -> submit(List.of(job)), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** When an endpoint may be tried again (null if it is not backing off); for tests and the API. */
  public Instant notBefore(String address) {
    return notBefore.get(address);
  }

  private void writeLoop() {
    List<PushOutcome> batch = new ArrayList<>();
    while (running) {
      try {
        PushOutcome first = outcomes.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        outcomes.drainTo(batch, WRITE_BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | SQLException e) {
        Log.warnf("recording %d push outcomes failed, retrying: %s", batch.size(), e.toString());
        outcomes.addAll(batch);
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          return;
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<PushOutcome> batch) throws SQLException {
    Instant now = clock.instant();
    List<PushJob> retries = new ArrayList<>();
    List<Duration> delays = new ArrayList<>();
    db.inTransaction(c -> {
      for (PushOutcome o : batch) {
        record(c, o, now, retries, delays);
      }
      return null;
    });
    for (int i = 0; i < retries.size(); i++) {
      later(retries.get(i), delays.get(i));
    }
  }

  private void record(Connection c, PushOutcome o, Instant now, List<PushJob> retries, List<Duration> delays)
      throws SQLException {
    Delivery d = o.job().delivery();
    int attempts = d.attempts() + 1;
    String ch = d.channel().wire();
    switch (o.kind()) {
      case SENT -> {
        deliveries.finish(c, d.id(), DeliveryStore.SENT, attempts, now, null);
        devices.markUsed(c, d.channel(), d.address(), now);
        notBefore.remove(d.address());
      }
      case GONE -> {
        deliveries.finish(c, d.id(), DeliveryStore.REMOVED, attempts, now, o.detail());
        if (devices.remove(c, d.channel(), d.address())) {
          Log.infof("%s device %s removed: %s", ch, shortAddress(d.address()), o.detail());
        }
        deliveries.closePendingFor(c, d.address(), now);
      }
      case FAILED -> {
        deliveries.finish(c, d.id(), DeliveryStore.FAILED, attempts, now, o.detail());
        Log.warnf("%s delivery %d of notification %s failed: %s", ch, d.id(), d.notificationId(), o.detail());
      }
      case RETRY -> {
        int max = switch (d.channel()) {
          case WEBPUSH -> config.webpush().maxAttempts();
          case FCM -> config.fcm().maxAttempts();
          case WEBHOOK -> config.webhook().maxAttempts();
        };
        if (attempts >= max) {
          deliveries.finish(c, d.id(), DeliveryStore.FAILED, attempts, now, "gave up: " + o.detail());
          Log.warnf("%s delivery %d gave up after %d attempts: %s", ch, d.id(), attempts, o.detail());
        } else {
          Duration delay = o.retryAfter() != null ? o.retryAfter() : backoff(attempts);
          Instant next = now.plus(delay);
          notBefore.merge(d.address(), next, (a, b) -> a.isAfter(b) ? a : b);
          deliveries.reschedule(c, d.id(), attempts, next, o.detail());
          retries.add(o.job().nextAttempt());
          delays.add(delay);
          Log.infof("%s delivery %d to %s retried in %d ms: %s", ch, d.id(), shortAddress(d.address()),
              delay.toMillis(), o.detail());
        }
      }
    }
    registry.counter("mecam_notifier_push_total", "channel", ch, "outcome", o.kind().name().toLowerCase())
        .increment();
  }

  /** 1 s, 2 s, 4 s … capped at 5 min. */
  static Duration backoff(int attempts) {
    long ms = FIRST_BACKOFF.toMillis() << Math.min(20, Math.max(0, attempts - 1));
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }

  /** Resumes deliveries left pending by a previous run (crash or restart). */
  public void resumePending() throws SQLException {
    Instant now = clock.instant();
    List<Object[]> pending = db.read(deliveries::pending);
    int resumed = 0;
    for (Object[] row : pending) {
      Delivery d = (Delivery) row[0];
      Instant due = (Instant) row[1];
      Notice notice = db.read(c -> notifications.find(c, d.notificationId()));
      Device device = db.read(c -> devices.find(c, d.channel(), d.address()));
      if (notice == null || device == null) {
        db.inTransaction(c -> {
          deliveries.finish(c, d.id(), DeliveryStore.REMOVED, d.attempts(), now, "device or notification gone");
          return null;
        });
        continue;
      }
      String image = d.withImage() && notice.mediaId() != null ? links.snapshotUrl(notice.mediaId(), device.user()) : null;
      PushJob job = new PushJob(d, device, notice, image);
      if (due.isAfter(now)) {
        notBefore.merge(d.address(), due, (a, b) -> a.isAfter(b) ? a : b);
        later(job, Duration.between(now, due));
      } else {
        submit(List.of(job));
      }
      resumed++;
    }
    if (resumed > 0) {
      Log.infof("resumed %d pending deliveries", resumed);
    }
  }

  static String shortAddress(String address) {
    return address.length() <= 48 ? address : address.substring(0, 48) + "…";
  }

  void stop(@Observes @Priority(50) ShutdownEvent event) {
    running = false;
    scheduler.shutdownNow();
    writer.interrupt();
  }
}
