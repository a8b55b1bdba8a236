package org.mecam.agent;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;

/**
 * Measurement, not a gate (yet): the agent's camera loop over OpenCV's sample videos (Debian package
 * opencv-doc, extracted to MECAM_OPENCV_SAMPLES, never committed) with the average and MOG2 background
 * models; prints each event's start and end as seconds into the video. Skipped without the samples.
 * Extract: apt-get download opencv-doc; dpkg-deb --fsys-tarfile opencv-doc_*.deb | tar -x
 * ./usr/share/doc/opencv-doc/examples/data/tree.avi ./usr/share/doc/opencv-doc/examples/data/vtest.avi
 */
class OpencvSamplesBench {
  @TempDir
  Path dir;

  @Test
  void eventsOnTreeAndVtest() throws Exception {
    String samples = System.getenv("MECAM_OPENCV_SAMPLES");
    assumeThat(samples).as("MECAM_OPENCV_SAMPLES (directory with tree.avi, vtest.avi)").isNotNull();
    for (String video : List.of("tree.avi", "vtest.avi")) {
      for (String background : List.of("average", "mog2")) {
        Path f = Path.of(samples, video);
        if (!Files.exists(f)) {
          continue;
        }
        Path d = dir.resolve(video + "-" + background);
        Instant before = Instant.now();
        AgentFixtures.Run run = AgentFixtures.runCamera(AgentFixtures.config(d, "--source", f.toString(),
            "--realtime", "false", "--background", background));
        List<String> spans = new ArrayList<>();
        Instant anchor = null;
        for (String p : run.payloads("/events")) {
          MotionEvent e = PayloadCodec.decode(null, p.getBytes(), MotionEvent.class);
          if (anchor == null) {
            anchor = before;
          }
          if (e.type() == MotionEvent.Phase.END) {
            spans.add(String.format(java.util.Locale.ROOT, "%.1f-%.1f s", secs(anchor, e.startedAt()),
                secs(anchor, e.endedAt())));
          }
        }
        System.out.println("opencv-samples " + video + " background=" + background + ": " + spans.size()
            + " event(s) " + spans + " (times approximate: from loop start)");
      }
    }
  }

  private static double secs(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }
}
