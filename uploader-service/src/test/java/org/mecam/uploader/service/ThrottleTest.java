package org.mecam.uploader.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Behaviour only (limits apply, live change, unlimited); accuracy is measured by bench/uploader. */
class ThrottleTest {
  @Test
  void unlimitedByDefaultAndLimitsOnceARateIsSet() throws Exception {
    Throttle t = new Throttle(0);
    long t0 = System.nanoTime();
    drain(t.wrap(new ByteArrayInputStream(new byte[8 << 20]), n -> {}));
    assertThat((System.nanoTime() - t0) / 1e6).isLessThan(1000);
    t.setMbps(8); // 1 MB/s: 300 KB take about 0.2 s beyond the 0.1 s burst
    long t1 = System.nanoTime();
    drain(t.wrap(new ByteArrayInputStream(new byte[300_000]), n -> {}));
    assertThat((System.nanoTime() - t1) / 1e6).isGreaterThan(150);
  }

  private static void drain(InputStream in) throws Exception {
    byte[] b = new byte[65536];
    while (in.read(b) != -1) {
      // discard
    }
  }
}
