package org.mecam.uploader.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.service.RetryableException;

/** Google Drive backend (placeholder until the Drive client lands): always paused. */
@ApplicationScoped
public class DriveBackend implements StorageBackend {
  private static final String NOT_LINKED = "Google Drive is not linked";

  @Override
  public String name() {
    return "drive";
  }

  @Override
  public Optional<String> pausedReason() {
    return Optional.of(NOT_LINKED);
  }

  @Override
  public Optional<RemoteFile> find(MediaItem item) throws BackendPausedException {
    throw new BackendPausedException(NOT_LINKED);
  }

  @Override
  public RemoteFile upload(MediaItem item, SealedFile file, UploadContext context) throws BackendPausedException {
    throw new BackendPausedException(NOT_LINKED);
  }

  @Override
  public int deleteOlderThan(Instant cutoff) throws BackendPausedException {
    throw new BackendPausedException(NOT_LINKED);
  }

  @Override
  public String testUpload(SealedFile file, UploadContext context) throws RetryableException, BackendPausedException {
    throw new BackendPausedException(NOT_LINKED);
  }

  /** Link state for {@code oauth_status}. */
  public Map<String, Object> oauthStatus() {
    return Map.of("linked", false, "configured", false);
  }

  /** Starts or completes the OAuth flow for {@code oauth_authorize}. */
  public Map<String, Object> oauthAuthorize(Map<String, Object> args) {
    throw new IllegalArgumentException("Google Drive support is not built yet");
  }

  /** Forgets the refresh token for {@code oauth_disconnect}. */
  public Map<String, Object> oauthDisconnect() {
    return Map.of("linked", false);
  }
}
