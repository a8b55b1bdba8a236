package org.mecam.recovery;

import org.mecam.crypto.DecryptedFileSummary;
import org.mecam.crypto.ExpectedBinding;
import org.mecam.crypto.FileBinding;
import picocli.CommandLine.Option;

/**
 * Options that state which clip a file must be (format version 2 binding); without them any
 * binding is accepted and printed.
 */
final class BindingOptions {
  @Option(names = "--expect-camera", description = "Refuse a file not bound to this camera id"
      + " (with --expect-media).")
  String camera;

  @Option(names = "--expect-media", description = "Refuse a file not bound to this media id"
      + " (with --expect-camera).")
  String media;

  @Option(names = "--allow-version-1", description = "With --expect-*: also accept format version 1"
      + " files, which carry no binding.")
  boolean allowVersion1;

  /** The expectation; IllegalArgumentException when only one of the two ids is given. */
  ExpectedBinding expected() {
    if (camera == null && media == null) {
      return ExpectedBinding.ANY;
    }
    if (camera == null || media == null) {
      throw new IllegalArgumentException("--expect-camera and --expect-media go together");
    }
    ExpectedBinding e = ExpectedBinding.of(camera, media);
    return allowVersion1 ? e.orVersion1() : e;
  }

  /** How a result line names what the file is bound to. */
  static String describe(int version, FileBinding b) {
    return b == null
        ? "not bound: format version " + version + ", no camera or media id"
        : "bound to camera " + b.cameraId() + ", media " + b.mediaId();
  }

  static String describe(DecryptedFileSummary s) {
    return describe(s.formatVersion(), s.binding());
  }
}
