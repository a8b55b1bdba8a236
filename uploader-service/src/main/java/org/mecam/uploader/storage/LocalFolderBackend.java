package org.mecam.uploader.storage;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.crypto.FileSync;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.NoSuchFileException;
import org.mecam.uploader.service.RetryableException;

/**
 * Stores encrypted media in a local folder or NAS mount as {@code YYYY/MM/DD/<opaque>.mecam}: the
 * spool file is moved into place when it is on the same file system, else copied with
 * {@code transferTo} to a temporary name, fsynced and renamed; either way a file under its final name
 * is always complete, and that name (derived from the media id) is what makes uploads idempotent.
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
    Path target = pathOf(item);
    try {
      Files.createDirectories(target.getParent());
      // Same file system: the spool file becomes the archived file, no byte copied.
      Files.move(file.path(), target, StandardCopyOption.ATOMIC_MOVE);
      FileSync.directory(target.getParent());
      return new RemoteFile(root.relativize(target).toString(), Files.size(target), null);
    } catch (AtomicMoveNotSupportedException e) {
      return write(target, file, context);
    } catch (IOException e) {
      throw new RetryableException("cannot write to the archive folder " + root + ": " + e.getMessage());
    }
  }

  /** Copies {@code file} in (another file system: transferTo, fsync, rename) and checks the size. */
  private RemoteFile write(Path target, SealedFile file, UploadContext context) throws RetryableException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
    try {
      Files.createDirectories(target.getParent());
      long written = 0;
      try (FileChannel in = FileChannel.open(file.path(), StandardOpenOption.READ);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        long size = in.size();
        while (written < size) {
          long n = in.transferTo(written, size - written, out);
          if (n <= 0) {
            break;
          }
          written += n;
        }
        out.force(true);
      }
      if (written != file.size()) {
        throw new RetryableException("copy in the archive folder does not match the encrypted file");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FileSync.directory(target.getParent());
      return new RemoteFile(root.relativize(target).toString(), written, null);
    } catch (IOException e) {
      throw new RetryableException("cannot write to the archive folder " + root + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        Log.debugf("cannot remove %s: %s", tmp, e.getMessage());
      }
    }
  }

  @Override
  public Optional<Long> storedSize(String remoteId) throws RetryableException {
    try {
      return Optional.of(Files.size(resolve(remoteId)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RetryableException("archive folder not readable: " + e.getMessage());
    }
  }

  @Override
  public InputStream read(String remoteId, long first, long last) throws IOException, RetryableException {
    FileChannel ch = FileChannel.open(resolve(remoteId), StandardOpenOption.READ);
    ch.position(first);
    return Channels.newInputStream(ch);
  }

  private Path resolve(String remoteId) throws RetryableException {
    Path p = root.resolve(remoteId).normalize();
    if (!p.startsWith(root)) {
      throw new RetryableException("stored path escapes the archive folder");
    }
    return p;
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
