package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.domain.Schedule;
import org.mecam.uploader.store.UploaderStore;

/**
 * The settings in force: {@code application.properties} overridden by what {@code set_settings} stored in
 * the database; listeners hear about every change so it takes effect at once.
 */
@ApplicationScoped
public class RuntimeSettings {
  /** The names {@code set_settings} accepts, which are also the keys {@code get_settings} returns. */
  public static final List<String> NAMES = List.of("backend", "schedule", "bandwidthMbps", "parallelism",
      "retentionDays", "stagingKeepDays", "enabled");

  private final UploaderStore store;
  private final UploaderConfig config;
  private final List<Consumer<RuntimeSettings>> listeners = new ArrayList<>();
  private volatile Map<String, String> values;

  public RuntimeSettings(UploaderStore store, UploaderConfig config) throws SQLException {
    this.store = store;
    this.config = config;
    Map<String, String> v = new LinkedHashMap<>();
    v.put("backend", config.backend());
    v.put("schedule", Schedule.parse(config.schedule()).text());
    v.put("bandwidthMbps", Double.toString(config.bandwidthMbps()));
    v.put("parallelism", Integer.toString(config.parallelism()));
    v.put("retentionDays", Integer.toString(config.retentionDays()));
    v.put("stagingKeepDays", Integer.toString(config.stagingKeepDays()));
    v.put("enabled", Boolean.toString(config.enabled()));
    Map<String, String> stored = store.settings();
    for (var e : stored.entrySet()) {
      if (v.containsKey(e.getKey())) {
        v.put(e.getKey(), e.getValue());
      }
    }
    validate(v);
    this.values = Map.copyOf(v);
    if (!stored.isEmpty()) {
      Log.infof("settings changed at run time are in force: %s", stored.keySet());
    }
  }

  public synchronized void onChange(Consumer<RuntimeSettings> listener) {
    listeners.add(listener);
  }

  /**
   * Validates and stores new values (names from {@link #NAMES}; values as JSON scalars); throws
   * {@link IllegalArgumentException} with a readable reason and changes nothing when one is wrong.
   */
  public void update(Map<String, Object> changes) throws SQLException {
    Map<String, String> next = new LinkedHashMap<>(values);
    Map<String, String> changed = new LinkedHashMap<>();
    for (var e : changes.entrySet()) {
      if (!NAMES.contains(e.getKey())) {
        throw new IllegalArgumentException("unknown setting '" + e.getKey() + "'; known: " + NAMES);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("setting '" + e.getKey() + "' needs a value");
      }
      String text = String.valueOf(e.getValue()).strip();
      next.put(e.getKey(), text);
      changed.put(e.getKey(), text);
    }
    validate(next);
    if (changed.containsKey("schedule")) {
      changed.put("schedule", Schedule.parse(changed.get("schedule")).text());
      next.put("schedule", changed.get("schedule"));
    }
    store.saveSettings(changed);
    List<Consumer<RuntimeSettings>> ls;
    synchronized (this) {
      values = Map.copyOf(next);
      ls = List.copyOf(listeners);
    }
    Log.infof("settings changed: %s", changed);
    ls.forEach(l -> l.accept(this));
  }

  private static void validate(Map<String, String> v) {
    String backend = v.get("backend").toLowerCase(Locale.ROOT);
    if (!backend.equals("local") && !backend.equals("drive")) {
      throw new IllegalArgumentException("backend must be 'local' or 'drive', not '" + backend + "'");
    }
    Schedule.parse(v.get("schedule"));
    double mbps = number(v, "bandwidthMbps");
    if (mbps < 0 || mbps > 100_000) {
      throw new IllegalArgumentException("bandwidthMbps must be between 0 (unlimited) and 100000");
    }
    int p = integer(v, "parallelism");
    if (p < 1 || p > WorkerPool.MAX_THREADS) {
      throw new IllegalArgumentException("parallelism must be between 1 and " + WorkerPool.MAX_THREADS);
    }
    if (integer(v, "retentionDays") < 0 || integer(v, "stagingKeepDays") < 0) {
      throw new IllegalArgumentException("retentionDays and stagingKeepDays must not be negative");
    }
    String en = v.get("enabled");
    if (!en.equals("true") && !en.equals("false")) {
      throw new IllegalArgumentException("enabled must be true or false");
    }
  }

  private static double number(Map<String, String> v, String name) {
    try {
      return Double.parseDouble(v.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + v.get(name) + "'");
    }
  }

  private static int integer(Map<String, String> v, String name) {
    try {
      return Integer.parseInt(v.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + v.get(name) + "'");
    }
  }

  /** The settings as a flat JSON-ready map (numbers and booleans typed). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backend", backend());
    m.put("schedule", schedule().text());
    m.put("dailyAt", config.dailyAt());
    m.put("bandwidthMbps", bandwidthMbps());
    m.put("parallelism", parallelism());
    m.put("retentionDays", retentionDays());
    m.put("stagingKeepDays", stagingKeepDays());
    m.put("enabled", enabled());
    m.put("queueCap", config.queueCap());
    return m;
  }

  public String backend() {
    return values.get("backend").toLowerCase(Locale.ROOT);
  }

  public Schedule schedule() {
    return Schedule.parse(values.get("schedule"));
  }

  public LocalTime dailyAt() {
    return LocalTime.parse(config.dailyAt());
  }

  public double bandwidthMbps() {
    return Double.parseDouble(values.get("bandwidthMbps"));
  }

  public int parallelism() {
    return Integer.parseInt(values.get("parallelism"));
  }

  public int retentionDays() {
    return Integer.parseInt(values.get("retentionDays"));
  }

  public int stagingKeepDays() {
    return Integer.parseInt(values.get("stagingKeepDays"));
  }

  public boolean enabled() {
    return Boolean.parseBoolean(values.get("enabled"));
  }

  public int queueCap() {
    return config.queueCap();
  }
}
