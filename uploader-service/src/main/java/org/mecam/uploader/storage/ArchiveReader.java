package org.mecam.uploader.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.service.RetryableException;

/**
 * Reads stored (encrypted) files back from the backend that holds them, byte ranges included, as
 * streams: the web UI plays archived media through it without the uploader ever buffering a file.
 */
@ApplicationScoped
public class ArchiveReader {
  private final Backends backends;

  public ArchiveReader(Backends backends) {
    this.backends = backends;
  }

  /** A stored file: which backend holds it, its id there and its size in bytes. */
  public record Stored(String backend, String remoteId, long size) {}

  /**
   * The stored copy of an uploaded item, or empty when the backend no longer has it (e.g. retention
   * removed it).
   *
   * @throws BackendPausedException the backend cannot be read now (Drive not linked, re-link needed)
   * @throws RetryableException the backend failed to answer (folder unreadable, Drive errors)
   */
  public Optional<Stored> find(MediaItem item) throws RetryableException, BackendPausedException {
    if (item.remoteId() == null || item.backend() == null) {
      return Optional.empty();
    }
    return backends.named(item.backend()).storedSize(item.remoteId())
        .map(size -> new Stored(item.backend(), item.remoteId(), size));
  }

  /** Opens bytes {@code first..last} (inclusive) of a stored file; the caller reads at most that many. */
  public InputStream open(Stored stored, long first, long last)
      throws IOException, RetryableException, BackendPausedException {
    return backends.named(stored.backend()).read(stored.remoteId(), first, last);
  }
}
