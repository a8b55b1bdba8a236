package org.mecam.uploader.crypto;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Makes a rename durable by syncing its directory (best effort: not every file system allows it). */
public final class FileSync {
  private FileSync() {}

  public static void directory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      Log.debugf("cannot fsync directory %s: %s", dir, e.getMessage());
    }
  }
}
