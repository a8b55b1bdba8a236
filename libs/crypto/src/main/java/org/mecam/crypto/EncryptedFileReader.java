package org.mecam.crypto;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mecam.crypto.EncryptedFileException.Kind;
import org.mecam.crypto.internal.Header;
import org.mecam.crypto.internal.SegmentCipher;
import org.mecam.crypto.internal.Trailer;

/**
 * Random access to the plaintext of a mecam file on a seekable channel, reading and
 * authenticating only the segments a range needs (for HTTP Range requests on videos).
 *
 * <p>Opening reads the header and the final segment (plus the one before when the trailer spans
 * them). Range reads authenticate each segment they touch but cannot check the whole-file
 * SHA-256; use {@link MediaDecryptor#verify} for that. Compressed files can only be streamed.
 * Not thread-safe: open one reader per request, or synchronise.
 */
public final class EncryptedFileReader implements Closeable {
  private final SeekableByteChannel channel;
  private final Header header;
  private final SegmentCipher cipher;
  private final int segmentSize;
  private final int sealedSize;
  private final long segments;
  private final Trailer trailer;
  private final FileBinding binding;
  private final byte[] sealed;
  private final byte[] plain;
  private long cachedIndex = -1;
  private int cachedLength;

  private EncryptedFileReader(
      SeekableByteChannel channel, OwnerKeyPair key, ExpectedBinding expected) throws IOException {
    this.channel = channel;
    byte[] head = new byte[Header.length(Header.VERSION_2, Header.MAX_RECIPIENTS)];
    int got = readAt(0, ByteBuffer.wrap(head));
    this.header = Header.read(new ByteArrayInputStream(head, 0, Math.max(got, 0)));
    Header.FileKeys keys = header.open(key);
    expected.check(header.version, keys.binding());
    this.binding = keys.binding();
    this.cipher = new SegmentCipher(header.suite, keys.payloadKey(), header.noncePrefix);
    this.segmentSize = header.segmentSize();
    this.sealedSize = segmentSize + SegmentCipher.TAG_LENGTH;
    this.sealed = new byte[sealedSize];
    this.plain = new byte[segmentSize];
    long body = channel.size() - header.length();
    if (body <= 0) {
      throw new EncryptedFileException(
          Kind.TRUNCATED, 0, "truncated: the file ends after the header, before segment 0");
    }
    this.segments = (body + sealedSize - 1) / sealedSize;
    this.trailer = readTrailer();
  }

  /**
   * Opens a reader that accepts any binding ({@link ExpectedBinding#ANY}); the channel is owned by
   * the reader and closed with it. Playback should pass the binding it expects instead.
   */
  public static EncryptedFileReader open(SeekableByteChannel channel, OwnerKeyPair key)
      throws IOException {
    return open(channel, key, ExpectedBinding.ANY);
  }

  /**
   * Opens a reader, refusing (before any plaintext is read) a file whose authenticated camera and
   * media id are not what {@code expected} says: {@link EncryptedFileException.Kind#WRONG_BINDING}
   * or {@link EncryptedFileException.Kind#UNBOUND}. The channel is owned by the reader.
   */
  public static EncryptedFileReader open(
      SeekableByteChannel channel, OwnerKeyPair key, ExpectedBinding expected) throws IOException {
    try {
      return new EncryptedFileReader(channel, key, expected);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public static EncryptedFileReader open(Path file, OwnerKeyPair key) throws IOException {
    return open(file, key, ExpectedBinding.ANY);
  }

  public static EncryptedFileReader open(Path file, OwnerKeyPair key, ExpectedBinding expected)
      throws IOException {
    return open(
        java.nio.file.Files.newByteChannel(file, StandardOpenOption.READ), key, expected);
  }

  /** The authenticated camera and media id (format version 2), or null for version 1. */
  public FileBinding binding() {
    return binding;
  }

  public int formatVersion() {
    return header.version;
  }

  private Trailer readTrailer() throws IOException {
    long last = segments - 1;
    int n = segment(last);
    int trailerMax = Trailer.MAX_LENGTH;
    byte[] buf;
    int end;
    if (n >= trailerMax || last == 0) {
      buf = java.util.Arrays.copyOf(plain, n);
      end = n;
    } else {
      // The trailer may start in the segment before the last one.
      byte[] tail = java.util.Arrays.copyOf(plain, n);
      int m = segment(last - 1);
      buf = new byte[m + n];
      System.arraycopy(plain, 0, buf, 0, m);
      System.arraycopy(tail, 0, buf, m, n);
      end = m + n;
    }
    Trailer t = Trailer.parse(buf, end);
    long inner = last * segmentSize + n;
    if (t.payloadSize() + t.paddingSize() + t.encodedLength() != inner) {
      throw new EncryptedFileException(
          Kind.CORRUPT_TRAILER, last, "corrupt trailer: sizes do not add up to the file length");
    }
    if (!header.compressed() && t.payloadSize() != t.plaintextSize()) {
      throw new EncryptedFileException(
          Kind.CORRUPT_TRAILER, last, "corrupt trailer: payload and plaintext sizes differ");
    }
    return t;
  }

  /** Reads and authenticates one segment into {@code plain}, returning its plaintext length. */
  private int segment(long index) throws IOException {
    if (index == cachedIndex) {
      return cachedLength;
    }
    long pos = header.length() + index * sealedSize;
    boolean last = index == segments - 1;
    int want = last ? (int) (channel.size() - pos) : sealedSize;
    int got = readAt(pos, ByteBuffer.wrap(sealed, 0, want));
    if (got < want) {
      throw new EncryptedFileException(Kind.TRUNCATED, index, "truncated inside segment " + index);
    }
    int n = cipher.open(sealed, 0, want, plain, 0, index, last);
    if (n == 0) {
      // Authentic but against §4 (the final segment holds 1..S bytes); no writer makes one.
      throw new EncryptedFileException(
          Kind.MALFORMED_BODY, index,
          "malformed: empty final segment " + index + " (a final segment holds 1..S bytes)");
    }
    if (n < 0) {
      cachedIndex = -1;
      if (last && cipher.open(sealed, 0, want, plain, 0, index, false) >= 0) {
        throw new EncryptedFileException(
            Kind.TRUNCATED, index,
            "truncated after segment " + index + ": it is authentic but not the final segment");
      }
      throw new EncryptedFileException(
          Kind.TAMPERED, index,
          "tampered at segment " + index + ": it fails authentication");
    }
    cachedIndex = index;
    cachedLength = n;
    return n;
  }

  private int readAt(long pos, ByteBuffer dst) throws IOException {
    channel.position(pos);
    int total = 0;
    while (dst.hasRemaining()) {
      int n = channel.read(dst);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  public long plaintextSize() {
    return trailer.plaintextSize();
  }

  public String contentType() {
    return trailer.contentType();
  }

  /** The SHA-256 the writer recorded (checked only by a full {@link MediaDecryptor#verify}). */
  public byte[] recordedSha256() {
    return trailer.sha256().clone();
  }

  /**
   * Copies plaintext starting at {@code plaintextOffset} into {@code dst} until it is full or the
   * plaintext ends; returns the number of bytes copied, or -1 at or beyond the end.
   */
  public int read(long plaintextOffset, ByteBuffer dst) throws IOException {
    if (header.compressed()) {
      throw new UnsupportedOperationException(
          "this file is compressed; random access needs an uncompressed file, stream it instead");
    }
    if (plaintextOffset < 0) {
      throw new IllegalArgumentException("negative offset");
    }
    long size = trailer.plaintextSize();
    if (plaintextOffset >= size) {
      return dst.hasRemaining() ? -1 : 0;
    }
    int copied = 0;
    long pos = plaintextOffset;
    while (dst.hasRemaining() && pos < size) {
      long index = pos / segmentSize;
      int within = (int) (pos % segmentSize);
      int n = segment(index);
      int avail = (int) Math.min(n - within, size - pos);
      int take = Math.min(avail, dst.remaining());
      dst.put(plain, within, take);
      copied += take;
      pos += take;
    }
    return copied;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
