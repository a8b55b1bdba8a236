package org.mecam.uploader.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mecam.events.Ids;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.domain.Priorities;
import org.mecam.uploader.store.UploaderStore;

/**
 * The uploader's statistics: totals from the database (so they survive restarts), per-file progress
 * of running uploads, Prometheus meters, and a retained snapshot on {@code mecam/v1/uploader/stats}.
 */
// Created at start so its Prometheus meters exist from the first scrape, not from the first upload.
@Startup
@ApplicationScoped
public class UploadStats {
  /** Bytes sent and total of one running upload. */
  public record Progress(String mediaId, String camera, long sent, long total) {}

  private final UploaderStore store;
  private final BrokerConnection broker;
  private final RuntimeSettings settings;
  private final AlertRaiser alerts;
  private final Clock clock;
  private final Map<String, Progress> progress = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> queueGauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> stateGauges = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter uploads;
  private final Counter uploadFailures;
  private final Counter retries;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private volatile String blockedReason;

  public UploadStats(UploaderStore store, BrokerConnection broker, RuntimeSettings settings,
      AlertRaiser alerts, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.broker = broker;
    this.settings = settings;
    this.alerts = alerts;
    this.clock = clock;
    this.registry = registry;
    this.uploads = meter(registry.counter("mecam_uploader_uploads_total"));
    this.uploadFailures = meter(registry.counter("mecam_uploader_permanent_failures_total"));
    this.retries = meter(registry.counter("mecam_uploader_retries_total"));
    this.bytesIn = meter(registry.counter("mecam_uploader_staged_bytes_total"));
    this.bytesOut = meter(registry.counter("mecam_uploader_uploaded_bytes_total"));
    for (int p = 1; p <= Priorities.LOWEST; p++) {
      AtomicLong v = new AtomicLong();
      queueGauges.put(p, v);
      meter(Gauge.builder("mecam_uploader_queue_size", v, AtomicLong::get)
          .tag("priority", Integer.toString(p)).register(registry));
    }
    for (ItemState s : ItemState.values()) {
      AtomicLong v = new AtomicLong();
      stateGauges.put(s.db(), v);
      meter(Gauge.builder("mecam_uploader_items", v, AtomicLong::get).tag("state", s.db()).register(registry));
    }
  }

  private <M extends Meter> M meter(M m) {
    meters.add(m);
    return m;
  }

  /**
   * Quarkus' registry outlives the application in a test JVM that restarts it; a gauge left behind
   * holds this instance's numbers weakly and goes blank once it is collected, hiding the next
   * instance's gauge of the same name.
   */
  @PreDestroy
  void removeMeters() {
    meters.forEach(registry::remove);
  }

  public void staged(long bytes) {
    bytesIn.increment(bytes);
  }

  public void uploaded(long bytes) {
    uploads.increment();
    bytesOut.increment(bytes);
  }

  public void retried() {
    retries.increment();
  }

  public void failedPermanently() {
    uploadFailures.increment();
  }

  public void progress(MediaItem item, long sent, long total) {
    progress.put(item.mediaId(), new Progress(item.mediaId(), item.camera(), sent, total));
  }

  public void done(String mediaId) {
    progress.remove(mediaId);
  }

  /** Why uploads cannot run at all right now (no recipient key, Drive not linked), or null. */
  public void blocked(String reason) {
    this.blockedReason = reason;
  }

  public String blockedReason() {
    return blockedReason;
  }

  public List<MediaItem> items(Optional<ItemState> state, int limit) throws SQLException {
    return store.list(state, limit);
  }

  /** The statistics as a flat-ish JSON map (the same object the broker and {@code /api/stats} carry). */
  public Map<String, Object> snapshot() throws SQLException {
    Map<String, Long> states = store.countByState();
    Map<Integer, Long> queued = store.queuedByPriority();
    Map<String, Long> totals = store.totals();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", 1);
    m.put("id", Ids.newId());
    m.put("time", clock.instant().toString());
    m.put("backend", settings.backend());
    m.put("schedule", settings.schedule().text());
    m.put("enabled", settings.enabled());
    m.put("bandwidthMbps", settings.bandwidthMbps());
    m.put("uploaded", totals.get("uploaded"));
    m.put("failed", totals.get("failed"));
    m.put("retrying", totals.get("retrying"));
    m.put("bytesIn", totals.get("bytesIn"));
    m.put("bytesOut", totals.get("bytesOut"));
    m.put("states", states);
    Map<String, Long> byPriority = new LinkedHashMap<>();
    Map<String, Long> byBand = new LinkedHashMap<>();
    byBand.put("emergency", 0L);
    byBand.put("normal", 0L);
    byBand.put("low", 0L);
    long queuedTotal = 0;
    for (var e : queued.entrySet()) {
      byPriority.put(Integer.toString(e.getKey()), e.getValue());
      byBand.merge(Priorities.band(e.getKey()), e.getValue(), Long::sum);
      queuedTotal += e.getValue();
    }
    m.put("queued", queuedTotal);
    m.put("queuedByPriority", byPriority);
    m.put("queuedByLevel", byBand);
    m.put("inProgress", List.copyOf(progress.values()));
    m.put("blockedReason", blockedReason);
    Map<String, String> a = new LinkedHashMap<>();
    alerts.active().forEach((k, v) -> a.put(k.name().toLowerCase().replace('_', '-'), v));
    m.put("activeAlerts", a);
    for (int p = 1; p <= Priorities.LOWEST; p++) {
      queueGauges.get(p).set(queued.getOrDefault(p, 0L));
    }
    states.forEach((k, v) -> stateGauges.computeIfAbsent(k, x -> new AtomicLong()).set(v));
    return m;
  }

  /** Publishes the snapshot retained (QoS 0: only the latest matters). */
  @Scheduled(every = "${mecam.uploader.stats-interval:10s}", delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void publish() {
    if (!broker.isConnected()) {
      return;
    }
    try {
      byte[] json = PayloadCodec.mapper().writeValueAsBytes(snapshot());
      broker.transport().publish(Topics.UPLOADER_STATS, json, 0, true);
    } catch (SQLException | JsonProcessingException | RuntimeException e) {
      Log.warnf("cannot publish statistics: %s", e.getMessage());
    }
  }

  MeterRegistry registry() {
    return registry;
  }
}
