package org.mecam.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import org.mecam.crypto.internal.Header;

/**
 * What a file's clear header reveals without any key: version, suite, flags, segment size and the
 * key ids of its recipients. Whether a version-2 file's binding matches needs the key
 * ({@link MediaDecryptor#readBinding}); the ids themselves are encrypted.
 */
public record EncryptedFileInfo(
    int version,
    Suite suite,
    boolean compressed,
    boolean padded,
    int segmentSize,
    List<String> recipientKeyIds,
    int headerLength) {

  /** Reads only the header from {@code in}; content type and sizes are encrypted, not shown. */
  public static EncryptedFileInfo read(InputStream in) throws IOException {
    Header h = Header.read(in);
    return new EncryptedFileInfo(
        h.version,
        h.suite,
        h.compressed(),
        h.padded(),
        h.segmentSize(),
        h.stanzas.stream().map(s -> HexFormat.of().formatHex(s.keyId())).toList(),
        h.length());
  }
}
