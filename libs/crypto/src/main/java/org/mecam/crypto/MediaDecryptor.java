package org.mecam.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.mecam.crypto.internal.Header;

/** Entry point for reading mecam encrypted files as streams with the owner's unlocked key. */
public final class MediaDecryptor {
  private MediaDecryptor() {}

  /**
   * Reads and checks the header, unwraps the file key, and returns the plaintext stream. Closing
   * it closes {@code ciphertext}.
   */
  public static DecryptingInputStream decrypt(InputStream ciphertext, OwnerKeyPair key)
      throws IOException {
    Header header = Header.read(ciphertext);
    return new DecryptingInputStream(ciphertext, header, header.open(key));
  }

  /** Decrypts everything to {@code out} (not closed) and returns the authenticated summary. */
  public static DecryptedFileSummary decrypt(
      InputStream ciphertext, OutputStream out, OwnerKeyPair key) throws IOException {
    DecryptingInputStream in = decrypt(ciphertext, key);
    // 64 KiB rather than transferTo's 8 KiB: one write per segment keeps file output cheap.
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    return in.summary();
  }

  /** Authenticates every segment and checks size and SHA-256 without writing plaintext anywhere. */
  public static DecryptedFileSummary verify(InputStream ciphertext, OwnerKeyPair key)
      throws IOException {
    return decrypt(ciphertext, OutputStream.nullOutputStream(), key);
  }
}
