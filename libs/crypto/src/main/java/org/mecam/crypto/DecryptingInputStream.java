package org.mecam.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mecam.crypto.EncryptedFileException.Kind;
import org.mecam.crypto.internal.Header;
import org.mecam.crypto.internal.InnerStreamDecoder;
import org.mecam.crypto.internal.SegmentCipher;
import org.mecam.crypto.internal.SegmentReader;
import org.mecam.crypto.internal.Trailer;
import org.mecam.crypto.internal.ZstdSingleFrameInputStream;

/**
 * Plaintext of a mecam file as a stream: bytes are released only from segments whose tag has
 * verified, and end of stream is reported only after the trailer's size (and, unless the caller
 * chose {@link ContentHashCheck#SKIP}, its SHA-256) have matched.
 */
public final class DecryptingInputStream extends InputStream {
  private final InputStream source;
  private final Header header;
  private final InnerStreamDecoder inner;
  private final InputStream payload;
  private final MessageDigest sha;
  private final FileBinding binding;
  private long size;
  private DecryptedFileSummary summary;

  DecryptingInputStream(
      InputStream source, Header header, Header.FileKeys keys, ContentHashCheck check)
      throws IOException {
    this.source = source;
    this.header = header;
    this.binding = keys.binding();
    SegmentCipher cipher = new SegmentCipher(header.suite, keys.payloadKey(), header.noncePrefix);
    this.inner =
        new InnerStreamDecoder(
            new SegmentReader(source, cipher, header.segmentSize()), header.segmentSize());
    this.payload = header.compressed() ? new ZstdSingleFrameInputStream(inner) : inner;
    try {
      this.sha = check == ContentHashCheck.CHECK ? MessageDigest.getInstance("SHA-256") : null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (summary != null) {
      return -1;
    }
    int n = payload.read(b, off, len);
    if (n > 0) {
      if (sha != null) {
        sha.update(b, off, n);
      }
      size += n;
      return n;
    }
    if (n == 0) {
      return 0;
    }
    // A compressed payload ends when zstd says so; drain the decoder so the trailer is read.
    if (header.compressed() && inner.trailer() == null) {
      byte[] rest = new byte[8192];
      while (inner.read(rest) >= 0) {
        // the single-frame decoder has already refused any payload byte after its frame
      }
    }
    Trailer t = inner.trailer();
    byte[] digest = sha != null ? sha.digest() : t.sha256();
    if (t.plaintextSize() != size) {
      throw new EncryptedFileException(
          Kind.HASH_MISMATCH, "plaintext size " + size + " differs from the trailer's "
              + t.plaintextSize());
    }
    if (!MessageDigest.isEqual(digest, t.sha256())) {
      throw new EncryptedFileException(
          Kind.HASH_MISMATCH,
          "plaintext SHA-256 " + HexFormat.of().formatHex(digest) + " differs from the trailer's "
              + HexFormat.of().formatHex(t.sha256()));
    }
    summary =
        new DecryptedFileSummary(
            t.contentType(), size, digest, header.compressed(), t.paddingSize(), inner.segments(),
            sha != null, header.version, binding);
    return -1;
  }

  /** The authenticated binding (format version 2), known as soon as the stream is open; or null. */
  public FileBinding binding() {
    return binding;
  }

  public int formatVersion() {
    return header.version;
  }

  /** Size, SHA-256 and content type, available once the stream has been read to its end. */
  public DecryptedFileSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("read the stream to its end first");
    }
    return summary;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
