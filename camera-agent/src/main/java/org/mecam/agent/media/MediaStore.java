package org.mecam.agent.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The agent's media directory: snapshots and clips named by their media id under a per-day folder
 * ({@code 2026-11-26/<media id>.mp4}), written under a {@code .part} name and renamed when complete,
 * so the HTTP server never serves half a file. A file stays until the uploader reports it stored or
 * the disk-space policy must drop it.
 */
public final class MediaStore {
  private static final Logger LOG = Logger.getLogger(MediaStore.class.getName());
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  /** Suffix of files still being written; never served, removed at start-up. */
  public static final String PARTIAL = ".part";

  /** A finished media file: its path relative to the media directory, size and SHA-256. */
  public record Finished(String mediaId, String relativePath, Path file, long size, String sha256) {}

  private final Path root;
  private final Map<String, Path> byId = new ConcurrentHashMap<>();

  public MediaStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root);
    try (Stream<Path> s = Files.walk(this.root, 2)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        String n = p.getFileName().toString();
        if (n.endsWith(PARTIAL)) {
          Files.deleteIfExists(p);
        } else if (n.endsWith(".mp4") || n.endsWith(".jpg")) {
          byId.put(n.substring(0, n.lastIndexOf('.')), p);
        }
      }
    }
  }

  public Path root() {
    return root;
  }

  /** Where a media file being written goes (the {@code .part} name); {@link #finish} renames it. */
  public Path partialPath(String mediaId, String extension, Instant time) throws IOException {
    Path day = root.resolve(DAY.format(time));
    Files.createDirectories(day);
    return day.resolve(mediaId + "." + extension + PARTIAL);
  }

  /** Makes a fully written file durable and visible, and returns its size and checksum. */
  public Finished finish(String mediaId, Path partial) throws IOException {
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    String name = partial.getFileName().toString();
    Path target = partial.resolveSibling(name.substring(0, name.length() - PARTIAL.length()));
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    byId.put(mediaId, target);
    return new Finished(mediaId, root.relativize(target).toString().replace('\\', '/'), target,
        Files.size(target), sha256(target));
  }

  /** Writes a complete small file (a snapshot) and finishes it. */
  public Finished write(String mediaId, String extension, Instant time, byte[] data) throws IOException {
    Path partial = partialPath(mediaId, extension, time);
    Files.write(partial, data, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    return finish(mediaId, partial);
  }

  /** Deletes a media file (after upload or when dropped); true when there was one. */
  public boolean delete(String mediaId) {
    Path p = byId.remove(mediaId);
    if (p == null) {
      return false;
    }
    try {
      boolean deleted = Files.deleteIfExists(p);
      Path day = p.getParent();
      try (Stream<Path> s = Files.list(day)) {
        if (s.findAny().isEmpty()) {
          Files.deleteIfExists(day);
        }
      }
      return deleted;
    } catch (IOException e) {
      LOG.warning("cannot delete media " + mediaId + ": " + e.getMessage());
      return false;
    }
  }

  public Optional<Path> pathOf(String mediaId) {
    return Optional.ofNullable(byId.get(mediaId));
  }

  /** Media files still on disk, oldest first (by modification time). */
  public List<String> oldestFirst() {
    List<Map.Entry<String, Path>> entries = new ArrayList<>(byId.entrySet());
    entries.sort(Comparator.comparingLong(e -> modified(e.getValue())));
    return entries.stream().map(Map.Entry::getKey).toList();
  }

  public int count() {
    return byId.size();
  }

  /** Bytes held by media files. */
  public long bytes() {
    long sum = 0;
    for (Path p : byId.values()) {
      try {
        sum += Files.size(p);
      } catch (IOException e) {
        // vanished
      }
    }
    return sum;
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
