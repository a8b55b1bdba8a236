package org.mecam.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the benchmark operations round-robin (8 rounds, first 2 discarded) and keeps each one's
 * best time, both wall-clock and the thread's CPU time (user + system): on a machine shared with
 * other jobs, load drifts over a JMH run, and alternating the contenders exposes them to the same
 * load; CPU time also leaves out the time a runnable thread waited for a core, which is what "MB/s
 * per core" means. Every operation runs on this one thread.
 */
public final class InterleavedComparison {
  private static final double MB = 268.435456;

  private InterleavedComparison() {}

  public static void main(String[] args) throws Exception {
    StreamingEncryptionBenchmark b = new StreamingEncryptionBenchmark();
    b.setUp();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> wall = new LinkedHashMap<>();
    Map<String, Long> cpu = new LinkedHashMap<>();
    Map<String, Long> proc = new LinkedHashMap<>();
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    String[] ops = {
      "rawAesGcm64KiB", "mecamEncryptMemory", "mecamEncryptMemoryHashing", "tinkEncryptMemory",
      "mecamDecryptMemory", "tinkDecryptMemory", "fileCopy", "fileCopyKernel", "mecamEncryptFile",
      "mecamEncryptFileOneThread", "tinkEncryptFile",
      "tinkEncryptFileChannel", "mecamDecryptFile", "mecamDecryptFileAuthOnly",
      "mecamReadFileRandomAccess", "tinkDecryptFile", "tinkDecryptFileChannel"
    };
    if (args.length > 0) {
      ops = args; // a subset, for quick experiments; the ratio table needs the full set
    }
    int rounds = Integer.getInteger("rounds", 8);
    try {
      for (int round = 0; round < rounds; round++) {
        for (String op : ops) {
          long c = mx.getCurrentThreadCpuTime();
          long p = os.getProcessCpuTime();
          long t = System.nanoTime();
          switch (op) {
            case "rawAesGcm64KiB" -> b.rawAesGcm64KiB();
            case "mecamEncryptMemory" -> b.mecamEncryptMemory();
            case "mecamEncryptMemoryHashing" -> b.mecamEncryptMemoryHashing();
            case "tinkEncryptMemory" -> b.tinkEncryptMemory();
            case "mecamDecryptMemory" -> b.mecamDecryptMemory();
            case "tinkDecryptMemory" -> b.tinkDecryptMemory();
            case "fileCopy" -> b.fileCopy();
            case "fileCopyKernel" -> b.fileCopyKernel();
            case "mecamEncryptFile" -> b.mecamEncryptFile();
            case "mecamEncryptFileOneThread" -> b.mecamEncryptFileOneThread();
            case "tinkEncryptFile" -> b.tinkEncryptFile();
            case "tinkEncryptFileChannel" -> b.tinkEncryptFileChannel();
            case "mecamDecryptFile" -> b.mecamDecryptFile();
            case "mecamDecryptFileAuthOnly" -> b.mecamDecryptFileAuthOnly();
            case "mecamReadFileRandomAccess" -> b.mecamReadFileRandomAccess();
            case "tinkDecryptFile" -> b.tinkDecryptFile();
            case "tinkDecryptFileChannel" -> b.tinkDecryptFileChannel();
            default -> throw new IllegalArgumentException(op);
          }
          long d = System.nanoTime() - t;
          long dc = mx.getCurrentThreadCpuTime() - c;
          long dp = os.getProcessCpuTime() - p;
          if (round >= 2) {
            wall.merge(op, d, Math::min);
            cpu.merge(op, dc, Math::min);
            proc.merge(op, dp, Math::min);
          }
        }
      }
    } finally {
      b.tearDown();
    }
    Map<String, Double> w = new LinkedHashMap<>();
    Map<String, Double> c = new LinkedHashMap<>();
    Map<String, Double> pc = new LinkedHashMap<>();
    System.out.println("| operation (interleaved, best of " + (rounds - 2)
        + ") | MB/s wall | MB/s per CPU second (thread) | MB/s per CPU second (process) |");
    System.out.println("|---|---|---|---|");
    for (String op : wall.keySet()) {
      w.put(op, MB / (wall.get(op) / 1e9));
      c.put(op, MB / (cpu.get(op) / 1e9));
      pc.put(op, MB / (proc.get(op) / 1e9));
      System.out.printf("| %s | %.0f | %.0f | %.0f |%n", op, w.get(op), c.get(op), pc.get(op));
    }
    if (wall.containsKey("fileCopy") && wall.containsKey("mecamEncryptFile")) {
      System.out.println();
      System.out.println("| ratio | wall | CPU (process) | target |");
      System.out.println("|---|---|---|---|");
      for (String a : new String[] {"mecamEncryptFile", "mecamEncryptFileOneThread"}) {
        if (wall.containsKey(a)) {
          System.out.printf("| %s / fileCopy | %.2f | %.2f | %s |%n", a,
              w.get(a) / w.get("fileCopy"), pc.get(a) / pc.get("fileCopy"),
              a.equals("mecamEncryptFile") ? ">= 0.80" : "before (one thread)");
        }
      }
      if (wall.containsKey("rawAesGcm64KiB")) {
        double serial = 1 / (1 / pc.get("fileCopy") + 1 / pc.get("rawAesGcm64KiB"));
        System.out.printf("| one thread's bound: 1 / (1/fileCopy + 1/rawAesGcm64KiB) / fileCopy |"
            + " | %.2f | per CPU second, no code on one core can beat it |%n",
            serial / pc.get("fileCopy"));
      }
    }
    if (args.length > 0) {
      return;
    }
    System.out.println();
    System.out.println("| ratio | wall | CPU | target |");
    System.out.println("|---|---|---|---|");
    ratio(w, c, "mecamEncryptMemory", "rawAesGcm64KiB", ">= 0.80");
    ratio(w, c, "mecamEncryptMemoryHashing", "rawAesGcm64KiB", "");
    ratio(w, c, "mecamEncryptFileOneThread", "tinkEncryptFile*", ">= 1.5 (per core: one thread)");
    ratio(w, c, "mecamDecryptFileAuthOnly", "tinkDecryptFile*", ">= 1.5");
    ratio(w, c, "mecamDecryptFile", "tinkDecryptFile*", "");
    ratio(w, c, "mecamReadFileRandomAccess", "tinkDecryptFile*", "");
    ratio(w, c, "fileCopy", "tinkEncryptFile*", "upper bound for any file encryption");
    ratio(w, c, "fileCopy", "tinkDecryptFile*", "upper bound for any file decryption");
    double idealW = 1 / (1 / w.get("fileCopyKernel") + 1 / w.get("rawAesGcm64KiB"));
    double idealC = 1 / (1 / c.get("fileCopyKernel") + 1 / c.get("rawAesGcm64KiB"));
    System.out.printf("| ideal (kernel copy + raw AES, no user-space copy) / tinkEncryptFile* | %.2f"
        + " | %.2f | optimistic bound |%n",
        idealW / get(w, "tinkEncryptFile*"), idealC / get(c, "tinkEncryptFile*"));
    ratio(w, c, "mecamEncryptFileOneThread", "fileCopy", "");
    ratio(w, c, "mecamDecryptFileAuthOnly", "fileCopy", "");
    System.out.printf("%n(tink*File* = the faster of Tink's stream and channel APIs in this run: "
        + "encrypt %s, decrypt %s by CPU time)%n",
        faster(c, "tinkEncryptFile"), faster(c, "tinkDecryptFile"));
  }

  private static String faster(Map<String, Double> m, String stream) {
    return m.get(stream) >= m.get(stream + "Channel") ? "stream" : "channel";
  }

  private static double get(Map<String, Double> m, String op) {
    return op.endsWith("*")
        ? Math.max(m.get(op.substring(0, op.length() - 1)),
            m.get(op.substring(0, op.length() - 1) + "Channel"))
        : m.get(op);
  }

  private static void ratio(
      Map<String, Double> w, Map<String, Double> c, String a, String b, String target) {
    System.out.printf("| %s / %s | %.2f | %.2f | %s |%n",
        a, b, get(w, a) / get(w, b), get(c, a) / get(c, b), target);
  }
}
