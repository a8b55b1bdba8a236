package org.mecam.crypto;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mecam.crypto.internal.CompressionPolicy;
import org.mecam.crypto.internal.Header;
import org.mecam.crypto.internal.Hkdf;
import org.mecam.crypto.internal.KeyWrap;
import org.mecam.crypto.internal.Padme;
import org.mecam.crypto.internal.SegmentCipher;
import org.mecam.crypto.internal.SegmentWriter;
import org.mecam.crypto.internal.Trailer;

/**
 * Encrypts plaintext written to it into a mecam file on the wrapped stream, in constant memory;
 * {@link #close()} writes padding, trailer and final segment, then {@link #result()} is ready.
 */
public final class EncryptingOutputStream extends OutputStream {
  private static final int HASH_STEP = 1 << 16;
  private final OutputStream out;
  private final EncryptionParams params;
  private final boolean compressed;
  private final SegmentWriter segments;
  private final OutputStream payloadSink;
  private final MessageDigest sha;
  private final long headerLength;
  private long plaintextSize;
  private long payloadSize;
  private EncryptionResult result;

  EncryptingOutputStream(OutputStream out, EncryptionParams params, boolean compressed)
      throws IOException {
    this.out = out;
    this.params = params;
    this.compressed = compressed;
    byte[] fileKey = new byte[32];
    byte[] prefix = new byte[Header.NONCE_PREFIX_LENGTH];
    params.random().nextBytes(fileKey);
    params.random().nextBytes(prefix);
    int flags = (compressed ? Header.FLAG_ZSTD : 0) | (params.padding() ? Header.FLAG_PADDED : 0);
    int version = params.binding() == null ? Header.VERSION_1 : Header.VERSION_2;
    byte[] fixed =
        Header.fixedPart(
            version, params.suite(), flags, params.segmentLog(), prefix,
            params.recipients().size());
    byte[] info = KeyWrap.info(fixed);
    List<Header.Stanza> stanzas = new ArrayList<>();
    for (RecipientKey r : params.recipients()) {
      stanzas.add(
          new Header.Stanza(
              Header.STANZA_TYPE_HPKE_X25519,
              r.keyId(),
              KeyWrap.wrap(r.bytes(), fileKey, info, params.random())));
    }
    byte[] payloadKey = Hkdf.derive(fileKey, Hkdf.PAYLOAD_KEY_LABEL, 32);
    Header header =
        Header.build(
            params.suite(), flags, params.segmentLog(), prefix, stanzas, fileKey,
            params.binding());
    Arrays.fill(fileKey, (byte) 0);
    out.write(header.encoded);
    headerLength = header.length();
    segments =
        new SegmentWriter(
            out, new SegmentCipher(params.suite(), payloadKey, prefix), 1 << params.segmentLog());
    Arrays.fill(payloadKey, (byte) 0);
    try {
      sha = params.trustedSha256() == null ? MessageDigest.getInstance("SHA-256") : null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (compressed) {
      OutputStream counting =
          new FilterOutputStream(segments) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              payloadSize += len;
              segments.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void close() {
              // The segment writer is finished explicitly after padding and trailer.
            }
          };
      payloadSink = new ZstdOutputStream(counting, CompressionPolicy.ZSTD_LEVEL);
    } else {
      payloadSink = segments;
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (result != null) {
      throw new IOException("stream closed");
    }
    plaintextSize += len;
    if (!compressed) {
      payloadSize += len;
    }
    if (sha == null) {
      payloadSink.write(b, off, len);
      return;
    }
    // Hash and encrypt in 64 KiB steps so the bytes are still in cache for the second pass.
    while (len > 0) {
      int n = Math.min(len, HASH_STEP);
      sha.update(b, off, n);
      payloadSink.write(b, off, n);
      off += n;
      len -= n;
    }
  }

  /** Finishes the file (padding, trailer, final segment) and flushes, but leaves out open. */
  public void finish() throws IOException {
    if (result != null) {
      return;
    }
    if (compressed) {
      payloadSink.close(); // ends the zstd frame; the counting wrapper does not close segments
    }
    String contentType = params.contentType();
    long trailerLength = Trailer.length(contentType);
    long inner = payloadSize + trailerLength;
    long padding = params.padding() ? Padme.paddedLength(inner) - inner : 0;
    byte[] zeros = new byte[(int) Math.min(padding, 1 << 16)];
    for (long left = padding; left > 0; ) {
      int n = (int) Math.min(left, zeros.length);
      segments.write(zeros, 0, n);
      left -= n;
    }
    byte[] digest = sha != null ? sha.digest() : params.trustedSha256();
    segments.write(
        new Trailer(contentType, plaintextSize, payloadSize, padding, digest).encode());
    segments.finish();
    result =
        new EncryptionResult(
            plaintextSize,
            digest,
            headerLength + segments.bodyBytesWritten(),
            compressed,
            padding,
            segments.segments(),
            params.binding());
  }

  @Override
  public void flush() throws IOException {
    if (result == null) {
      segments.flush();
    }
    out.flush();
  }

  /** Finishes the file and closes the wrapped stream. */
  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }

  /** The outcome, available after {@link #finish()} or {@link #close()}. */
  public EncryptionResult result() {
    if (result == null) {
      throw new IllegalStateException("finish() or close() first");
    }
    return result;
  }
}
