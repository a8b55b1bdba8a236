package org.mecam.uploader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.mecam.cameras.CameraRegistry;
import org.mecam.cameras.RegisteredCamera;
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

  /** A camera media token of the registry's shape (43 base64url characters). */
  static final String CAMERA_TOKEN = "tok-A0123456789abcdefghijklmnopqrstuvwxyzAB";

  /**
   * Writes {@code content} where the agent keeps it ({@code dir/<day>/<media id>.<jpg|mp4>}, announced
   * by that relative path, as the real agent does) with {@code dir/name} as a hard link to the same
   * file (tests rewrite it by that name), and names {@code url} as the URL (which the uploader ignores:
   * it pulls from the camera's registered address).
   */
  static MediaReady write(Path dir, String name, byte[] content, String camera, MediaKind kind, String url)
      throws IOException {
    String id = Ids.newId();
    String rel = "2026-11-26/" + id + (kind == MediaKind.SNAPSHOT ? ".jpg" : ".mp4");
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.write(f, content);
    Path alias = dir.resolve(name);
    Files.deleteIfExists(alias);
    Files.createLink(alias, f);
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    return new MediaReady(Payload.SCHEMA, id, camera, t, Ids.newId(), kind, rel, url,
        sha256(content), content.length, kind == MediaKind.SNAPSHOT ? "image/jpeg" : "video/mp4", t, t);
  }

  /** Writes a camera registry (0600) in which every camera in {@code cameras} serves at {@code base}. */
  static Path registry(Path file, String base, String token, String... cameras) {
    CameraRegistry r = new CameraRegistry(file);
    for (String c : cameras) {
      r.put(new RegisteredCamera(c, c, java.net.URI.create(base), token, Instant.parse("2026-11-26T00:00:00Z")));
    }
    return file;
  }
}
