package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.domain.MediaItem;

/**
 * Pulls one media file off its camera into server staging: by copy when it lies under the shared media
 * root, else by HTTP GET with the camera's token; verifies size and SHA-256 and only then moves the
 * file into place (temp + fsync + rename), so a staged file is always complete and correct.
 */
@ApplicationScoped
public class MediaFetcher {
  private final Optional<Path> sharedRoot;
  private final CameraTokens tokens;
  private final Duration timeout;
  private final HttpClient http;

  public MediaFetcher(UploaderConfig config, CameraTokens tokens) {
    this.sharedRoot = config.sharedMediaRoot().map(p -> p.toAbsolutePath().normalize());
    this.tokens = tokens;
    this.timeout = config.fetchTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Fetches {@code item} to {@code target}; returns how it was fetched ("shared" or "http"). */
  public String fetch(MediaItem item, Path target) throws RetryableException, IOException, InterruptedException {
    Path shared = sharedCopy(item);
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    Files.createDirectories(target.getParent());
    try {
      if (shared != null) {
        try (InputStream in = Files.newInputStream(shared)) {
          copyVerified(in, tmp, item);
        }
      } else {
        download(item, tmp);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
      return shared != null ? "shared" : "http";
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The file under the shared root this item names, or null (not configured, outside it, absent). */
  private Path sharedCopy(MediaItem item) throws IOException {
    if (sharedRoot.isEmpty()) {
      return null;
    }
    Path p = Path.of(item.path());
    if (!p.isAbsolute()) {
      return null;
    }
    p = p.normalize();
    if (!p.startsWith(sharedRoot.get()) || !Files.isRegularFile(p)) {
      return null;
    }
    // A symlink must not lead out of the shared root.
    if (!p.toRealPath().startsWith(sharedRoot.get().toRealPath())) {
      Log.warnf("media %s: %s leaves the shared media root; pulling over HTTP", item.mediaId(), item.path());
      return null;
    }
    return p;
  }

  private void download(MediaItem item, Path tmp) throws RetryableException, IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(item.url())).timeout(timeout).GET();
    Optional<String> token = tokens.tokenFor(item.camera());
    token.ifPresent(t -> req.header("Authorization", "Bearer " + t));
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new RetryableException("camera unreachable: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    try (InputStream body = resp.body()) {
      int code = resp.statusCode();
      if (code != 200) {
        Duration retryAfter = RetryableException.parseRetryAfter(resp.headers().firstValue("Retry-After").orElse(null));
        String why = switch (code) {
          case 401, 403 -> "camera refused the token (HTTP " + code + ")"
              + (token.isEmpty() ? "; no token configured for camera " + item.camera() : "");
          case 404 -> "camera no longer has the file (HTTP 404)";
          default -> "camera answered HTTP " + code;
        };
        throw new RetryableException(why, false, retryAfter);
      }
      try {
        copyVerified(body, tmp, item);
      } catch (IOException e) {
        if (e instanceof VerificationException) {
          throw e;
        }
        throw new RetryableException("pull interrupted: " + e.getMessage());
      }
    }
  }

  /** Thrown when the bytes pulled are not the bytes announced. */
  static final class VerificationException extends IOException {
    VerificationException(String message) {
      super(message);
    }
  }

  private static void copyVerified(InputStream in, Path tmp, MediaItem item) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long total = 0;
    byte[] buf = new byte[256 * 1024];
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        total += n;
        if (total > item.size()) {
          throw new VerificationException("file is larger than the announced " + item.size() + " bytes");
        }
        sha.update(buf, 0, n);
        var bb = java.nio.ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
      ch.force(true);
    }
    if (total != item.size()) {
      throw new VerificationException("got " + total + " bytes, announced " + item.size());
    }
    String hex = HexFormat.of().formatHex(sha.digest());
    if (!hex.equals(item.sha256())) {
      throw new VerificationException("SHA-256 mismatch: got " + hex.substring(0, 12) + "…, announced "
          + item.sha256().substring(0, 12) + "…");
    }
  }

  /** Makes a rename durable (best effort: not every file system lets a directory be opened). */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      Log.debugf("cannot fsync directory %s: %s", dir, e.getMessage());
    }
  }
}
