package org.mecam.agent.observe;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Routes all java.util.logging output (ours and Paho's) to standard error in the common line format. */
public final class Logging {
  private Logging() {}

  /** Replaces the JUL configuration; {@code level} is one of error, warn, info, debug, trace. */
  public static void configure(String level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler h = new ConsoleHandler();
    h.setFormatter(new LineFormatter("camera-agent"));
    Level l = parse(level);
    h.setLevel(l);
    root.addHandler(h);
    root.setLevel(l);
    // Paho logs every reconnect attempt at fine levels; our transport reports the readable reason.
    Logger.getLogger("org.eclipse.paho").setLevel(Level.WARNING);
  }

  /** Maps the services' level names to JUL levels. */
  public static Level parse(String level) {
    return switch (level.toLowerCase(java.util.Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default -> throw new IllegalArgumentException(
          "log level '" + level + "' must be one of error, warn, info, debug, trace");
    };
  }
}
