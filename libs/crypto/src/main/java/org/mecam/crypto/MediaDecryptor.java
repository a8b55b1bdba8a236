package org.mecam.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.mecam.crypto.internal.Header;

/** Entry point for reading mecam encrypted files as streams with the owner's unlocked key. */
public final class MediaDecryptor {
  /**
   * Plaintext gathered per write: 16 segments, one syscall per ~1 MiB like the encrypting side
   * (256 KiB measured the same within this machine's noise).
   */
  static final int COPY_CHUNK = 1 << 20;

  private MediaDecryptor() {}

  /**
   * Reads and checks the header, unwraps the file key, and returns the plaintext stream. Closing
   * it closes {@code ciphertext}. The SHA-256 is checked at the end ({@link ContentHashCheck#CHECK}).
   */
  public static DecryptingInputStream decrypt(InputStream ciphertext, OwnerKeyPair key)
      throws IOException {
    return decrypt(ciphertext, key, ContentHashCheck.CHECK);
  }

  /** As {@link #decrypt(InputStream, OwnerKeyPair)}, with the whole-file SHA-256 check chosen. */
  public static DecryptingInputStream decrypt(
      InputStream ciphertext, OwnerKeyPair key, ContentHashCheck check) throws IOException {
    Header header = Header.read(ciphertext);
    return new DecryptingInputStream(ciphertext, header, header.open(key), check);
  }

  /** Decrypts everything to {@code out} (not closed) and returns the authenticated summary. */
  public static DecryptedFileSummary decrypt(
      InputStream ciphertext, OutputStream out, OwnerKeyPair key) throws IOException {
    return decrypt(ciphertext, out, key, ContentHashCheck.CHECK);
  }

  /** As {@link #decrypt(InputStream, OutputStream, OwnerKeyPair)}, with the hash check chosen. */
  public static DecryptedFileSummary decrypt(
      InputStream ciphertext, OutputStream out, OwnerKeyPair key, ContentHashCheck check)
      throws IOException {
    DecryptingInputStream in = decrypt(ciphertext, key, check);
    byte[] buf = new byte[COPY_CHUNK];
    int n;
    // readNBytes gathers several segments per write; it returns 0 only at the (checked) end.
    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
      out.write(buf, 0, n);
    }
    return in.summary();
  }

  /**
   * Decrypts a file to a new file: the plaintext is written beside the target and moved into
   * place only after the whole file has authenticated (and, with {@link ContentHashCheck#CHECK},
   * its SHA-256 matched), so a damaged file never leaves partial plaintext under the target name.
   */
  public static DecryptedFileSummary decryptFile(
      Path source, Path target, OwnerKeyPair key, ContentHashCheck check) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    try {
      DecryptedFileSummary s;
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        DecryptingInputStream plain = decrypt(Channels.newInputStream(in), key, check);
        byte[] buf = new byte[COPY_CHUNK];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        int n;
        while ((n = plain.readNBytes(buf, 0, buf.length)) > 0) {
          bb.clear().limit(n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
        }
        s = plain.summary();
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return s;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Authenticates every segment and checks size and SHA-256 without writing plaintext anywhere. */
  public static DecryptedFileSummary verify(InputStream ciphertext, OwnerKeyPair key)
      throws IOException {
    return decrypt(ciphertext, OutputStream.nullOutputStream(), key, ContentHashCheck.CHECK);
  }
}
