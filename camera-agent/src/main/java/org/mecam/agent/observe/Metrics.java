package org.mecam.agent.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.DoubleSupplier;

/**
 * A tiny metrics registry rendered in the Prometheus text format at {@code /metrics}: counters that
 * only grow and gauges read when scraped. Enough for an agent on a Pi without a metrics library.
 */
public final class Metrics {
  private record Metric(String type, String help, DoubleSupplier value) {}

  private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

  /** A counter; the name should end in {@code _total}. */
  public Counter counter(String name, String help) {
    Counter c = new Counter();
    metrics.put(name, new Metric("counter", help, c::value));
    return c;
  }

  public void gauge(String name, String help, DoubleSupplier value) {
    metrics.put(name, new Metric("gauge", help, value));
  }

  /** The current value of a metric (for tests and health), NaN when absent. */
  public double value(String name) {
    Metric m = metrics.get(name);
    return m == null ? Double.NaN : m.value().getAsDouble();
  }

  public String render() {
    StringBuilder b = new StringBuilder(2048);
    for (Map.Entry<String, Metric> e : metrics.entrySet()) {
      Metric m = e.getValue();
      b.append("# HELP ").append(e.getKey()).append(' ').append(m.help()).append('\n');
      b.append("# TYPE ").append(e.getKey()).append(' ').append(m.type()).append('\n');
      double v;
      try {
        v = m.value().getAsDouble();
      } catch (RuntimeException ex) {
        v = Double.NaN;
      }
      b.append(e.getKey()).append(' ').append(format(v)).append('\n');
    }
    return b.toString();
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** A monotonically increasing count. */
  public static final class Counter {
    private final DoubleAdder adder = new DoubleAdder();

    public void inc() {
      adder.add(1);
    }

    public void add(double n) {
      adder.add(n);
    }

    public double value() {
      return adder.sum();
    }
  }
}
