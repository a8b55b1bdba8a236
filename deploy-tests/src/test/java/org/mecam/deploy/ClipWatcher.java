package org.mecam.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Records the SHA-256 of every clip the camera agent writes in its data folder, by file name, scanning
 * every 50 ms. The agent writes a clip under a {@code .part} name and renames it to {@code .mp4} when
 * complete, and deletes it once the uploader has stored it, so the folder alone no longer shows which
 * clips were recorded; this keeps the record.
 */
final class ClipWatcher implements AutoCloseable {
  private final Path dir;
  private final Map<String, String> byName = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "clip-watcher");
    t.setDaemon(true);
    return t;
  });

  private ClipWatcher(Path dir) {
    this.dir = dir;
  }

  static ClipWatcher start(Path dir) {
    ClipWatcher w = new ClipWatcher(dir);
    w.scanner.scheduleWithFixedDelay(w::scan, 0, 50, TimeUnit.MILLISECONDS);
    return w;
  }

  /** How many distinct clips were seen. */
  int count() {
    scan();
    return byName.size();
  }

  /** The SHA-256 of every clip seen. */
  Set<String> hashes() {
    scan();
    return new HashSet<>(byName.values());
  }

  private synchronized void scan() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> clips;
    try (Stream<Path> s = Files.walk(dir)) {
      clips = s.filter(p -> p.getFileName().toString().endsWith(".mp4")).toList();
    } catch (IOException | UncheckedIOException e) {
      return; // a file deleted during the walk: the next scan sees the folder again
    }
    for (Path p : clips) {
      String name = p.getFileName().toString();
      if (byName.containsKey(name)) {
        continue; // complete once named .mp4: its content does not change
      }
      try {
        byName.put(name, sha256(Files.readAllBytes(p)));
      } catch (NoSuchFileException e) {
        // uploaded and deleted between the walk and the read; nothing to record
      } catch (IOException e) {
        // unreadable for now (being renamed or deleted): the next scan tries again
      }
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    scanner.shutdownNow();
  }
}
