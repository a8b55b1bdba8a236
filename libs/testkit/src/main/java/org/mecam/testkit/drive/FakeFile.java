package org.mecam.testkit.drive;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One file or folder as the Drive fake holds it; content lives in a file on disk. */
public record FakeFile(
    String id,
    String name,
    String mimeType,
    List<String> parents,
    Map<String, String> appProperties,
    long size,
    String md5Checksum,
    Instant createdTime,
    Path content) {

  public static final String FOLDER = "application/vnd.google-apps.folder";

  public boolean isFolder() {
    return FOLDER.equals(mimeType);
  }
}
