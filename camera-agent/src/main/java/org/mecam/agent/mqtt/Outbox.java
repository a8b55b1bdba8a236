package org.mecam.agent.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Durable, ordered queue of messages to publish: one file per message, named by a sequence number,
 * written to a temporary name, fsynced and renamed into place, so a message is either fully queued
 * or not at all across a crash or power cut. A message leaves the outbox only after the broker
 * confirmed it ({@link #remove}).
 */
public final class Outbox {
  private static final String SUFFIX = ".msg";

  /** One queued message. */
  public record Entry(long seq, String topic, byte[] payload, boolean retained) {}

  private final Path dir;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long nextSeq;
  private int size;

  public Outbox(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          // A write that never completed: never confirmed to the caller, so never promised.
          Files.deleteIfExists(p);
        }
      }
    }
    List<Long> seqs = sequences();
    nextSeq = seqs.isEmpty() ? 1 : seqs.get(seqs.size() - 1) + 1;
    size = seqs.size();
  }

  /** Queues a message durably; returns after it is on disk. */
  public long append(String topic, byte[] payload, boolean retained) throws IOException {
    lock.lock();
    try {
      long seq = nextSeq++;
      Path tmp = dir.resolve(name(seq) + ".tmp");
      byte[] head = ((retained ? "R " : "- ") + topic + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(payload)});
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(name(seq)), StandardCopyOption.ATOMIC_MOVE);
      syncDir();
      size++;
      changed.signalAll();
      return seq;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest queued message, waiting up to {@code timeoutMs} for one; null when none came. */
  public Entry peek(long timeoutMs) throws IOException, InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (size == 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        changed.awaitNanos(left);
      }
      List<Long> seqs = sequences();
      if (seqs.isEmpty()) {
        size = 0;
        return null;
      }
      return read(seqs.get(0));
    } finally {
      lock.unlock();
    }
  }

  /** The oldest queued message after {@code seq}, or null. */
  public Entry after(long seq) throws IOException {
    lock.lock();
    try {
      for (long s : sequences()) {
        if (s > seq) {
          return read(s);
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a message the broker has confirmed. */
  public void remove(long seq) throws IOException {
    lock.lock();
    try {
      if (Files.deleteIfExists(dir.resolve(name(seq)))) {
        size--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Every queued message, oldest first (diagnostics and tests). */
  public List<Entry> pending() throws IOException {
    lock.lock();
    try {
      List<Entry> out = new ArrayList<>();
      for (long seq : sequences()) {
        out.add(read(seq));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  public int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  private Entry read(long seq) throws IOException {
    byte[] all = Files.readAllBytes(dir.resolve(name(seq)));
    int nl = 0;
    while (nl < all.length && all[nl] != '\n') {
      nl++;
    }
    String head = new String(all, 0, nl, StandardCharsets.UTF_8);
    byte[] payload = java.util.Arrays.copyOfRange(all, Math.min(nl + 1, all.length), all.length);
    return new Entry(seq, head.substring(2), payload, head.startsWith("R"));
  }

  private List<Long> sequences() throws IOException {
    List<Long> seqs = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(SUFFIX)) {
          try {
            seqs.add(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())));
          } catch (NumberFormatException e) {
            // not ours
          }
        }
      }
    }
    seqs.sort(null);
    return seqs;
  }

  private void syncDir() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open directories; the rename is still atomic.
    }
  }

  private static String name(long seq) {
    return String.format("%019d", seq) + SUFFIX;
  }
}
