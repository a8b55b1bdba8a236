package org.mecam.webui.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mecam.crypto.EncryptedFileReader;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.crypto.OwnerKeyPair;

/**
 * The reader on top of the remote channel gets the right plaintext for any range while the shared
 * span cache stays within its bound and keeps the header and trailer; streaming reads ahead.
 */
class RemoteArchiveChannelTest {
  private static final OwnerKeyPair KEY = OwnerKeyPair.generate();

  /** A stored object plus a log of the ranges fetched from it. */
  static final class Stored implements RemoteArchiveChannel.RangeFetcher {
    final byte[] bytes;
    final List<long[]> fetched = new ArrayList<>();

    Stored(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public byte[] fetch(String mediaId, long from, long toInclusive) {
      fetched.add(new long[] {from, toInclusive});
      return Arrays.copyOfRange(bytes, (int) from, (int) Math.min(bytes.length, toInclusive + 1));
    }

    RemoteArchiveChannel open(ArchiveBlockCache cache) {
      ArchiveBlockCache.Entry e = cache.entryFor("m", bytes.length, 0);
      return new RemoteArchiveChannel("m", this, cache, e);
    }
  }

  @Test
  void anyRangeDecryptsCorrectlyWhileTheCacheStaysWithinItsBoundAndKeepsHeaderAndTrailer() throws Exception {
    byte[] plain = new byte[1_000_000];
    new Random(1).nextBytes(plain);
    Stored stored = new Stored(encrypt(plain, 4096));
    ArchiveBlockCache cache = new ArchiveBlockCache(64 * 1024, 60_000);
    Random r = new Random(2);
    for (int i = 0; i < 200; i++) {
      int from = r.nextInt(plain.length);
      int length = 1 + r.nextInt(Math.min(50_000, plain.length - from));
      try (EncryptedFileReader reader = EncryptedFileReader.open(stored.open(cache), KEY)) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
          assertThat(reader.read(from + buf.position(), buf)).isPositive();
        }
        assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(plain, from, from + length));
      }
      assertThat(cache.totalBytes()).isLessThanOrEqualTo(64 * 1024);
    }
    // Opening again needs no fetch at all: header and final segment stayed cached.
    int before = stored.fetched.size();
    EncryptedFileReader.open(stored.open(cache), KEY).close();
    assertThat(stored.fetched).hasSize(before);
  }

  @Test
  void streamingReadsAheadSoAWholeFileTakesFewRequests() throws Exception {
    byte[] plain = new byte[4 * 1024 * 1024];
    new Random(3).nextBytes(plain);
    Stored stored = new Stored(encrypt(plain, 65536));
    ArchiveBlockCache cache = new ArchiveBlockCache(24L * 1024 * 1024, 60_000);
    try (EncryptedFileReader reader = EncryptedFileReader.open(stored.open(cache), KEY)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long pos = 0;
      int n;
      while ((n = reader.read(pos, buf.clear())) > 0) {
        out.write(buf.array(), 0, n);
        pos += n;
      }
      assertThat(out.toByteArray()).isEqualTo(plain);
    }
    // 64 segments: header, trailer, then fetches doubling 1, 2, 4, ... 32 segments (2 MiB cap).
    assertThat(stored.fetched).hasSizeLessThanOrEqualTo(10);
    assertThat(stored.fetched).allMatch(f -> f[1] - f[0] + 1 <= RemoteArchiveChannel.MAX_FETCH);
  }

  private static byte[] encrypt(byte[] plain, int segment) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MediaEncryptor.encrypt(new ByteArrayInputStream(plain), out, EncryptionParams.builder()
        .contentType("video/mp4").segmentSize(segment).recipient(KEY.recipient()).build());
    return out.toByteArray();
  }
}
