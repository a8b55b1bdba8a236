package org.mecam.uploader.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.mecam.uploader.domain.MediaItem;

/** Turns a staged plaintext file into the encrypted file that is uploaded; nothing leaves unencrypted. */
public interface MediaSealer {
  /** Why sealing is impossible right now (e.g. no recipient key configured), or empty when ready. */
  Optional<String> refusal();

  /** Encrypts {@code plaintext} to {@code target} (temp + fsync + rename) and describes the result. */
  SealedFile seal(MediaItem item, Path plaintext, Path target) throws IOException;

  /** Describes an already sealed file (after a restart) by reading it once. */
  SealedFile describe(Path sealed) throws IOException;
}
