package org.mecam.mqtt;

/**
 * Halts the JVM at a named point when a test asks for it (system property {@code mecam.fault.halt-at}
 * or env {@code MECAM_FAULT_HALT_AT}), to prove that a crash there loses and doubles nothing.
 * Inert unless set.
 */
public final class FaultInjection {
  /** A message was received and nothing has been recorded yet. */
  public static final String BEFORE_COMMIT = "before-commit";
  /** The message was recorded durably but not yet acknowledged to the broker. */
  public static final String BEFORE_ACK = "before-ack";

  private static final String POINT = System.getProperty("mecam.fault.halt-at",
      System.getenv().getOrDefault("MECAM_FAULT_HALT_AT", ""));

  private FaultInjection() {}

  public static void at(String point) {
    if (!POINT.isEmpty() && POINT.equals(point)) {
      System.err.println("fault injection: halting at " + point);
      System.err.flush();
      Runtime.getRuntime().halt(86);
    }
  }
}
