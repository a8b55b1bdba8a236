package org.mecam.uploader.storage;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.service.MediaFetcher;
import org.mecam.uploader.service.RetryableException;

/**
 * Stores encrypted media in a local folder or NAS mount as {@code YYYY/MM/DD/<opaque>.mecam}; each
 * file is written to a temporary name, fsynced and renamed, so a file under its final name is always
 * complete, and that name (derived from the media id) is what makes uploads idempotent.
 */
public final class LocalFolderBackend implements StorageBackend {
  private final Path root;
  private final OpaqueNames names;

  public LocalFolderBackend(Path root, OpaqueNames names) {
    this.root = root.toAbsolutePath().normalize();
    this.names = names;
  }

  @Override
  public String name() {
    return "local";
  }

  public Path root() {
    return root;
  }

  @Override
  public Optional<String> pausedReason() {
    return Optional.empty();
  }

  Path pathOf(MediaItem item) {
    return root.resolve(OpaqueNames.dayFolder(item.start())).resolve(names.fileName(item.mediaId()));
  }

  @Override
  public Optional<RemoteFile> find(MediaItem item) throws RetryableException {
    Path p = pathOf(item);
    try {
      return Files.isRegularFile(p)
          ? Optional.of(new RemoteFile(root.relativize(p).toString(), Files.size(p), null))
          : Optional.empty();
    } catch (IOException e) {
      throw new RetryableException("archive folder not readable: " + e.getMessage());
    }
  }

  @Override
  public RemoteFile upload(MediaItem item, SealedFile file, UploadContext context) throws RetryableException {
    return write(pathOf(item), file, context);
  }

  private RemoteFile write(Path target, SealedFile file, UploadContext context) throws RetryableException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
    try {
      Files.createDirectories(target.getParent());
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      long written = 0;
      try (InputStream in = context.throttled(Files.newInputStream(file.path()));
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
          md5.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
          written += n;
        }
        out.force(true);
      }
      String md5Hex = HexFormat.of().formatHex(md5.digest());
      if (written != file.size() || !md5Hex.equals(file.md5Hex())) {
        throw new RetryableException("copy in the archive folder does not match the encrypted file");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      MediaFetcher.syncDirectory(target.getParent());
      return new RemoteFile(root.relativize(target).toString(), written, md5Hex);
    } catch (IOException e) {
      throw new RetryableException("cannot write to the archive folder " + root + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        Log.debugf("cannot remove %s: %s", tmp, e.getMessage());
      }
    }
  }

  @Override
  public int deleteOlderThan(Instant cutoff) throws RetryableException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> old = files.filter(p -> p.getFileName().toString().endsWith(".mecam"))
          .filter(p -> {
            try {
              return Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
            } catch (IOException e) {
              return false;
            }
          }).toList();
      for (Path p : old) {
        Files.deleteIfExists(p);
      }
      return old.size();
    } catch (IOException e) {
      throw new RetryableException("retention cleanup of " + root + " failed: " + e.getMessage());
    }
  }

  @Override
  public String testUpload(SealedFile file, UploadContext context) throws RetryableException {
    Path target = root.resolve(".mecam-test-" + System.nanoTime() + ".mecam");
    RemoteFile r = write(target, file, context);
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw new RetryableException("test file written but not deleted: " + e.getMessage());
    }
    return "local folder " + root + " (" + r.size() + " bytes written, verified and removed)";
  }
}
