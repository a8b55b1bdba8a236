package org.mecam.webui.service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps recently fetched byte spans of archived (still encrypted) files in memory, shared by every
 * playback request, so a browser's series of Range requests on one clip fetches the file's header
 * and final segments from the uploader once instead of on every seek. Spans of one file never
 * overlap. Bounded in total bytes; least recently used files go first. Holds only ciphertext.
 */
final class ArchiveBlockCache {
  /** A span of a file's bytes starting at {@code start}. */
  record Span(long start, byte[] data) {
    long end() {
      return start + data.length;
    }
  }

  /** What is cached of one file: its size and non-overlapping spans by start offset. */
  static final class Entry {
    final long size;
    final long createdAt;
    private final TreeMap<Long, byte[]> spans = new TreeMap<>();
    private long bytes;

    Entry(long size, long createdAt) {
      this.size = size;
      this.createdAt = createdAt;
    }
  }

  private final long maxBytes;
  private final long ttlMillis;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long totalBytes;

  ArchiveBlockCache(long maxBytes, long ttlMillis) {
    this.maxBytes = maxBytes;
    this.ttlMillis = ttlMillis;
  }

  /** The file's entry if cached and fresh. */
  synchronized Entry entry(String mediaId, long now) {
    Entry e = entries.get(mediaId);
    if (e != null && now - e.createdAt > ttlMillis) {
      remove(mediaId);
      return null;
    }
    return e;
  }

  /** The entry for a file of this size, created when missing or when the size changed. */
  synchronized Entry entryFor(String mediaId, long size, long now) {
    Entry e = entry(mediaId, now);
    if (e == null || e.size != size) {
      remove(mediaId);
      e = new Entry(size, now);
      entries.put(mediaId, e);
    }
    return e;
  }

  /** The cached span that contains {@code pos}, or null. */
  synchronized Span covering(Entry e, long pos) {
    Map.Entry<Long, byte[]> f = e.spans.floorEntry(pos);
    if (f == null || f.getKey() + f.getValue().length <= pos) {
      return null;
    }
    return new Span(f.getKey(), f.getValue());
  }

  /** Where the next cached span after {@code pos} starts (the file size when none). */
  synchronized long nextStart(Entry e, long pos) {
    Long k = e.spans.higherKey(pos);
    return k == null ? e.size : k;
  }

  /** Remembers a span unless it would overlap one already cached (a concurrent fetch won). */
  synchronized void put(String mediaId, Entry e, Span span) {
    if (entries.get(mediaId) != e || span.data().length == 0 || span.data().length > maxBytes) {
      return;
    }
    Map.Entry<Long, byte[]> before = e.spans.floorEntry(span.start());
    if (before != null && before.getKey() + before.getValue().length > span.start()) {
      return;
    }
    Long after = e.spans.higherKey(span.start());
    if (after != null && after < span.end()) {
      return;
    }
    e.spans.put(span.start(), span.data());
    e.bytes += span.data().length;
    totalBytes += span.data().length;
    evict(mediaId, e);
  }

  synchronized void remove(String mediaId) {
    Entry e = entries.remove(mediaId);
    if (e != null) {
      totalBytes -= e.bytes;
    }
  }

  synchronized long totalBytes() {
    return totalBytes;
  }

  private void evict(String current, Entry e) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (totalBytes > maxBytes && it.hasNext()) {
      Map.Entry<String, Entry> oldest = it.next();
      if (!oldest.getKey().equals(current)) {
        totalBytes -= oldest.getValue().bytes;
        it.remove();
      }
    }
    if (totalBytes <= maxBytes) {
      return;
    }
    // Only the file being played is left: drop its middle spans, lowest first, keeping the head
    // (header) and the tail (final segment and trailer) that every new request reads again.
    for (Long start : new ArrayList<>(e.spans.keySet())) {
      if (totalBytes <= maxBytes) {
        break;
      }
      byte[] d = e.spans.get(start);
      if (start == 0 || start + d.length == e.size) {
        continue;
      }
      e.spans.remove(start);
      e.bytes -= d.length;
      totalBytes -= d.length;
    }
  }
}
