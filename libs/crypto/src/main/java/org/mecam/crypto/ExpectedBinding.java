package org.mecam.crypto;

import java.util.Objects;
import org.mecam.crypto.EncryptedFileException.Kind;

/**
 * What a reader expects a file to be bound to, checked after the header has authenticated and
 * before any plaintext is released: {@link #of} (the clip must be format version 2 and bound to
 * exactly this camera and media id), {@link #orVersion1()} (also accept version-1 files, which
 * carry no binding — the caller must then prove identity otherwise, e.g. by comparing the recorded
 * SHA-256), or {@link #ANY} (tools that only report what a file is bound to).
 */
public final class ExpectedBinding {
  /** Accepts any file and binding; the binding is reported, never checked. */
  public static final ExpectedBinding ANY = new ExpectedBinding(null, true);

  private final FileBinding binding;
  private final boolean version1Allowed;

  private ExpectedBinding(FileBinding binding, boolean version1Allowed) {
    this.binding = binding;
    this.version1Allowed = version1Allowed;
  }

  /** The file must be bound (format version 2) to exactly this camera and media id. */
  public static ExpectedBinding of(FileBinding binding) {
    return new ExpectedBinding(Objects.requireNonNull(binding), false);
  }

  /** The file must be bound (format version 2) to exactly this camera and media id. */
  public static ExpectedBinding of(String cameraId, String mediaId) {
    return of(new FileBinding(cameraId, mediaId));
  }

  /**
   * As this expectation, but a version-1 file (written before bindings existed) is accepted too.
   * A version-2 file bound to anything else is still refused. Anyone with the public key can write
   * a version-1 file, so use this only with another proof (the SHA-256 recorded at upload).
   */
  public ExpectedBinding orVersion1() {
    return new ExpectedBinding(binding, true);
  }

  /** The binding expected, or null for {@link #ANY}. */
  public FileBinding binding() {
    return binding;
  }

  public boolean version1Allowed() {
    return version1Allowed;
  }

  /**
   * Throws unless a file of this version, whose authenticated binding is {@code actual} (null for
   * version 1), meets the expectation.
   */
  public void check(int version, FileBinding actual) throws EncryptedFileException {
    if (binding == null) {
      return;
    }
    if (actual == null) {
      if (version1Allowed) {
        return;
      }
      throw new EncryptedFileException(
          Kind.UNBOUND,
          "not proven to be the clip it claims to be: the file (format version " + version
              + ") carries no camera or media id, expected " + binding);
    }
    if (!actual.equals(binding)) {
      String what = actual.mediaId().equals(binding.mediaId())
          ? "bound to another camera"
          : "bound to another media id";
      throw new EncryptedFileException(
          Kind.WRONG_BINDING,
          "not the clip it claims to be: " + what + " (the file is " + actual + ", expected "
              + binding + ")");
    }
  }

  @Override
  public String toString() {
    return binding == null ? "any" : binding + (version1Allowed ? " or version 1" : "");
  }
}
