package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large streamed round trips through an in-memory pipe (constant memory, no disk); each takes a
 * few seconds on an idle 2-core machine. The 1 GiB one runs in the normal suite; the 2 GiB one
 * under -Xmx64m is tagged heavy and also measured file-to-file by bench/crypto.sh.
 */
@Tag("large")
class LargeFileTest {
  @TempDir Path dir;

  @Test
  @Timeout(60)
  void streamsOneGibibyteThroughEncryptAndDecrypt() throws Exception {
    String line = StreamRoundTrip.runPiped(1L << 30);
    System.out.println("1 GiB in-process: " + line);
    assertThat(line).startsWith("bytes=" + (1L << 30));
  }

  /** Tagged "heavy": excluded by default; run with -Dcrypto.excludedGroups= (see pom). */
  @Test
  @Tag("heavy")
  @Timeout(120)
  void twoGibibytesEncryptAndDecryptUnderA64MiBHeap() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx64m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StreamRoundTrip.class.getName());
    cmd.add(Long.toString(2L << 30));
    cmd.add("--pipe");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(110, TimeUnit.SECONDS)).isTrue();
    System.out.println("2 GiB under -Xmx64m: " + out.strip());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("bytes=" + (2L << 30)).contains("maxHeapMiB=" + 64);
  }
}
