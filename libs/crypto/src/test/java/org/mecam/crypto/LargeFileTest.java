package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Large streamed round trips; each stays well under 20 s here, so they run in the normal suite. */
@Tag("large")
class LargeFileTest {
  @TempDir Path dir;

  @Test
  @Timeout(60)
  void streamsOneGibibyteThroughEncryptAndDecrypt() throws Exception {
    String line = StreamRoundTrip.run(1L << 30, dir);
    System.out.println("1 GiB in-process: " + line);
    assertThat(line).startsWith("bytes=" + (1L << 30));
  }

  @Test
  @Timeout(120)
  void twoGibibytesEncryptAndDecryptUnderA64MiBHeap() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx64m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StreamRoundTrip.class.getName());
    cmd.add(Long.toString(2L << 30));
    cmd.add(dir.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(110, TimeUnit.SECONDS)).isTrue();
    System.out.println("2 GiB under -Xmx64m: " + out.strip());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("bytes=" + (2L << 30)).contains("maxHeapMiB=" + 64);
    assertThat(File.pathSeparator).isNotEmpty();
  }
}
