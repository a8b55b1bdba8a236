package org.mecam.uploader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;

/** Writes media files for tests and builds the matching media-ready messages. */
final class TestMedia {
  private TestMedia() {}

  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code content} as {@code dir/name} and describes it as served at {@code url}. */
  static MediaReady write(Path dir, String name, byte[] content, String camera, MediaKind kind, String url)
      throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve(name);
    Files.write(f, content);
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    return new MediaReady(Payload.SCHEMA, Ids.newId(), camera, t, Ids.newId(), kind, f.toString(), url,
        sha256(content), content.length, kind == MediaKind.SNAPSHOT ? "image/jpeg" : "video/mp4", t, t);
  }
}
