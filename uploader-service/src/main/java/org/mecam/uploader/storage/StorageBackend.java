package org.mecam.uploader.storage;

import java.time.Instant;
import java.util.Optional;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.service.RetryableException;

/**
 * Where encrypted media ends up. Implementations are idempotent by media id: {@link #find} sees a
 * copy an interrupted earlier attempt completed, so nothing is stored twice.
 */
public interface StorageBackend {
  /** Short name used in messages and statistics: {@code local} or {@code drive}. */
  String name();

  /** Why the backend takes no uploads now (owner action needed), or empty. */
  Optional<String> pausedReason();

  /** The stored copy of {@code item}, if one exists. */
  Optional<RemoteFile> find(MediaItem item) throws RetryableException, BackendPausedException;

  /**
   * Stores the sealed file and verifies the stored copy (size, and MD5 where the backend reports it).
   * The backend may consume the file (the local folder moves it into place when it can).
   */
  RemoteFile upload(MediaItem item, SealedFile file, UploadContext context)
      throws RetryableException, BackendPausedException;

  /** The size of the stored file {@code remoteId}, or empty when the backend no longer has it. */
  Optional<Long> storedSize(String remoteId) throws RetryableException, BackendPausedException;

  /** Opens bytes {@code first..last} (inclusive) of the stored file {@code remoteId}; the caller closes it. */
  java.io.InputStream read(String remoteId, long first, long last)
      throws java.io.IOException, RetryableException, BackendPausedException;

  /** Deletes stored files older than {@code cutoff}; returns how many. */
  int deleteOlderThan(Instant cutoff) throws RetryableException, BackendPausedException;

  /** Stores and deletes a small sealed test file; returns where it went. */
  String testUpload(SealedFile file, UploadContext context) throws RetryableException, BackendPausedException;
}
