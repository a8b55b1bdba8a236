package org.mecam.uploader.storage;

import java.io.InputStream;
import java.util.Optional;

/** What a backend may use while uploading one file: throttling, progress, and a resumable session. */
public interface UploadContext {
  /** Wraps a stream so reading it respects the bandwidth limit and reports progress. */
  InputStream throttled(InputStream in);

  /** A resumable session saved by an earlier, interrupted attempt, if any. */
  Optional<String> savedSession();

  /** Saves a resumable session durably before bytes are sent (null clears it). */
  void saveSession(String session);
}
