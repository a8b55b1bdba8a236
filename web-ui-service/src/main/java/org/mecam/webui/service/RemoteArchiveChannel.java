package org.mecam.webui.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable view of an archived (encrypted) file that lives behind the uploader: each
 * read is served from the shared {@link ArchiveBlockCache} or fetched with one HTTP Range request of
 * about the size asked for, so {@link org.mecam.crypto.EncryptedFileReader} fetches only the
 * segments a playback range needs. Misses that continue where the last read ended are taken as
 * streaming and fetch ahead, doubling up to {@link #MAX_FETCH}, to keep the request count low.
 * Not thread-safe (one per playback request), like the reader on top of it.
 */
public final class RemoteArchiveChannel implements SeekableByteChannel {
  /** The largest single fetch (and the memory one read-ahead may hold). */
  static final int MAX_FETCH = 2 * 1024 * 1024;

  /** Fetches {@code [from, toInclusive]} of one stored object. */
  interface RangeFetcher {
    byte[] fetch(String mediaId, long from, long toInclusive) throws ArchiveReadException;
  }

  private final String mediaId;
  private final RangeFetcher fetcher;
  private final ArchiveBlockCache cache;
  private final ArchiveBlockCache.Entry entry;
  private long position;
  private long lastReadEnd = -1;
  private int aheadFactor = 1;
  private boolean open = true;

  RemoteArchiveChannel(String mediaId, RangeFetcher fetcher, ArchiveBlockCache cache,
      ArchiveBlockCache.Entry entry) {
    this.mediaId = mediaId;
    this.fetcher = fetcher;
    this.cache = cache;
    this.entry = entry;
  }

  public String mediaId() {
    return mediaId;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    long size = entry.size;
    if (position >= size) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    ArchiveBlockCache.Span span = cache.covering(entry, position);
    if (span == null) {
      aheadFactor = position == lastReadEnd ? Math.min(aheadFactor * 2, 32) : 1;
      long length = Math.max(want, Math.min((long) want * aheadFactor, MAX_FETCH));
      long end = Math.min(position + length, cache.nextStart(entry, position));
      byte[] data = fetcher.fetch(mediaId, position, end - 1);
      span = new ArchiveBlockCache.Span(position, data);
      cache.put(mediaId, entry, span);
    }
    int offset = (int) (position - span.start());
    int n = Math.min(want, span.data().length - offset);
    if (n <= 0) {
      throw new ArchiveReadException(ArchiveReadException.Kind.PROTOCOL,
          "the uploader sent no bytes for " + mediaId + " at offset " + position);
    }
    dst.put(span.data(), offset, n);
    position += n;
    lastReadEnd = position;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return entry.size;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
