package org.mecam.agent.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats java.util.logging records in the one line format every mecam program writes:
 * {@code 2026-11-26T04:50:00.123+0000 INFO  [camera-agent] ClassName - message}.
 */
public final class LineFormatter extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private final String program;

  public LineFormatter(String program) {
    this.program = program;
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder b = new StringBuilder(160);
    b.append(TIME.format(r.getInstant())).append(' ');
    String level = level(r.getLevel());
    b.append(level);
    for (int i = level.length(); i < 5; i++) {
      b.append(' ');
    }
    b.append(" [").append(program).append("] ").append(shortName(r.getLoggerName())).append(" - ")
        .append(formatMessage(r)).append('\n');
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      b.append(w);
    }
    return b.toString();
  }

  /** The services' level names (log4j style), so all programs' logs read alike. */
  static String level(Level l) {
    int v = l.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  private static String shortName(String logger) {
    if (logger == null || logger.isEmpty()) {
      return "root";
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
