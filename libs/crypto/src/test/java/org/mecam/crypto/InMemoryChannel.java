package org.mecam.crypto;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only seekable channel over a byte array that counts what it serves. */
final class InMemoryChannel implements SeekableByteChannel {
  private final byte[] data;
  private long pos;
  private long read;
  private boolean open = true;

  InMemoryChannel(byte[] data) {
    this.data = data;
  }

  long bytesRead() {
    return read;
  }

  @Override
  public int read(ByteBuffer dst) {
    if (pos >= data.length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), data.length - pos);
    dst.put(data, (int) pos, n);
    pos += n;
    read += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return pos;
  }

  @Override
  public SeekableByteChannel position(long p) {
    pos = p;
    return this;
  }

  @Override
  public long size() {
    return data.length;
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
