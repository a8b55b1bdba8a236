package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.mecam.agent.observe.LineFormatter;

/** The agent logs in the same one-line format as the services. */
class LineFormatterTest {
  @Test
  void formatsLikeTheServices() {
    LogRecord r = new LogRecord(Level.INFO, "camera {0} armed");
    r.setParameters(new Object[] {"porch"});
    r.setLoggerName("org.mecam.agent.service.CameraStatus");
    r.setInstant(Instant.parse("2026-11-26T04:50:00.123Z"));
    assertThat(new LineFormatter("camera-agent").format(r))
        .isEqualTo("2026-11-26T04:50:00.123+0000 INFO  [camera-agent] CameraStatus - camera porch armed\n");
    r.setLevel(Level.WARNING);
    assertThat(new LineFormatter("camera-agent").format(r)).contains(" WARN  [camera-agent] ");
  }
}
