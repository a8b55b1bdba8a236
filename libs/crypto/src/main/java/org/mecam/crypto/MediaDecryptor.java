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
import java.util.Optional;
import org.mecam.crypto.internal.Header;

/**
 * Entry point for reading mecam encrypted files as streams with the owner's unlocked key.
 *
 * <p>Readers that know which clip they asked for pass an {@link ExpectedBinding}: the file's
 * authenticated camera and media id (format version 2) are compared with it before any plaintext
 * is released, and a swapped or planted file is refused ({@link EncryptedFileException.Kind#WRONG_BINDING},
 * {@link EncryptedFileException.Kind#UNBOUND}). The overloads without one accept any binding and
 * report it in the summary (tools such as the recovery CLI).
 */
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
   * Any binding is accepted ({@link ExpectedBinding#ANY}).
   */
  public static DecryptingInputStream decrypt(InputStream ciphertext, OwnerKeyPair key)
      throws IOException {
    return decrypt(ciphertext, key, ContentHashCheck.CHECK, ExpectedBinding.ANY);
  }

  /** As {@link #decrypt(InputStream, OwnerKeyPair)}, refusing a file not bound as expected. */
  public static DecryptingInputStream decrypt(
      InputStream ciphertext, OwnerKeyPair key, ExpectedBinding expected) throws IOException {
    return decrypt(ciphertext, key, ContentHashCheck.CHECK, expected);
  }

  /** As {@link #decrypt(InputStream, OwnerKeyPair)}, with the whole-file SHA-256 check chosen. */
  public static DecryptingInputStream decrypt(
      InputStream ciphertext, OwnerKeyPair key, ContentHashCheck check) throws IOException {
    return decrypt(ciphertext, key, check, ExpectedBinding.ANY);
  }

  /**
   * Reads and authenticates the header, checks its binding against {@code expected}, and returns
   * the plaintext stream (closing it closes {@code ciphertext}).
   */
  public static DecryptingInputStream decrypt(
      InputStream ciphertext, OwnerKeyPair key, ContentHashCheck check, ExpectedBinding expected)
      throws IOException {
    Header header = Header.read(ciphertext);
    Header.FileKeys keys = header.open(key);
    expected.check(header.version, keys.binding());
    return new DecryptingInputStream(ciphertext, header, keys, check);
  }

  /** Decrypts everything to {@code out} (not closed) and returns the authenticated summary. */
  public static DecryptedFileSummary decrypt(
      InputStream ciphertext, OutputStream out, OwnerKeyPair key) throws IOException {
    return decrypt(ciphertext, out, key, ContentHashCheck.CHECK, ExpectedBinding.ANY);
  }

  /** As {@link #decrypt(InputStream, OutputStream, OwnerKeyPair)}, with the hash check chosen. */
  public static DecryptedFileSummary decrypt(
      InputStream ciphertext, OutputStream out, OwnerKeyPair key, ContentHashCheck check)
      throws IOException {
    return decrypt(ciphertext, out, key, check, ExpectedBinding.ANY);
  }

  /** Decrypts everything to {@code out} (not closed), refusing a file not bound as expected. */
  public static DecryptedFileSummary decrypt(
      InputStream ciphertext, OutputStream out, OwnerKeyPair key, ContentHashCheck check,
      ExpectedBinding expected) throws IOException {
    DecryptingInputStream in = decrypt(ciphertext, key, check, expected);
    byte[] buf = new byte[COPY_CHUNK];
    int n;
    // readNBytes gathers several segments per write; it returns 0 only at the (checked) end.
    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
      out.write(buf, 0, n);
    }
    return in.summary();
  }

  /** As {@link #decryptFile(Path, Path, OwnerKeyPair, ContentHashCheck, ExpectedBinding)}, any binding. */
  public static DecryptedFileSummary decryptFile(
      Path source, Path target, OwnerKeyPair key, ContentHashCheck check) throws IOException {
    return decryptFile(source, target, key, check, ExpectedBinding.ANY);
  }

  /**
   * Decrypts a file to a new file: the plaintext is written beside the target and moved into
   * place only after the whole file has authenticated (and, with {@link ContentHashCheck#CHECK},
   * its SHA-256 matched), so a damaged file never leaves partial plaintext under the target name.
   * A file not bound as {@code expected} is refused before anything is written.
   */
  public static DecryptedFileSummary decryptFile(
      Path source, Path target, OwnerKeyPair key, ContentHashCheck check,
      ExpectedBinding expected) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    try {
      DecryptedFileSummary s;
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
        DecryptingInputStream plain = decrypt(Channels.newInputStream(in), key, check, expected);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
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
    return verify(ciphertext, key, ExpectedBinding.ANY);
  }

  /** As {@link #verify(InputStream, OwnerKeyPair)}, refusing a file not bound as expected. */
  public static DecryptedFileSummary verify(
      InputStream ciphertext, OwnerKeyPair key, ExpectedBinding expected) throws IOException {
    return decrypt(
        ciphertext, OutputStream.nullOutputStream(), key, ContentHashCheck.CHECK, expected);
  }

  /**
   * Reads only the header, authenticates it with the key and returns the camera and media id the
   * file is bound to (empty for a format version 1 file). Reads no segment.
   */
  public static Optional<FileBinding> readBinding(InputStream ciphertext, OwnerKeyPair key)
      throws IOException {
    Header header = Header.read(ciphertext);
    return Optional.ofNullable(header.open(key).binding());
  }
}
