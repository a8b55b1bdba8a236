package org.mecam.uploader.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.mecam.crypto.EncryptingOutputStream;
import org.mecam.uploader.domain.MediaItem;

/** Turns media into the encrypted file that is stored; nothing is stored or uploaded unencrypted. */
public interface MediaSealer {
  /**
   * Why sealing is impossible right now (no recipient key, key file absent or unreadable), or empty
   * when ready; looks at the key file again when it changed, so a key that appears is used.
   */
  Optional<String> refusal();

  /**
   * Opens the streaming encryptor for {@code item} on {@code out}: plaintext written to it leaves as
   * ciphertext, nothing is buffered beyond a segment. The caller calls {@code finish()} only once the
   * plaintext is verified ({@code item.sha256()} is written into the file as the trusted digest).
   */
  EncryptingOutputStream open(MediaItem item, OutputStream out) throws IOException;

  /** Encrypts a plaintext file to {@code target} (temp + fsync + rename): test uploads, legacy staging. */
  SealedFile seal(MediaItem item, Path plaintext, Path target) throws IOException;

  /** Describes an already sealed file (after a restart) by reading it once. */
  SealedFile describe(Path sealed) throws IOException;
}
