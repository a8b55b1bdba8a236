package org.mecam.mediapull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mecam.events.MediaKind;

/**
 * Fetches one media file from a camera, the one way both the uploader and the web UI do it. The
 * camera says <em>what</em> (media id, kind, path, size, SHA-256); the server decides <em>where</em>:
 * only from the camera's registered media address ({@link CameraDirectory}) plus a path that must be
 * {@code <yyyy-MM-dd>/<media id>.<mp4|jpg>} (the agent's layout, the extension fixed by the kind), or
 * from {@code <shared root>/<camera id>/<path>} when the media directory is shared. The token goes only
 * to that address; redirects are not followed; the announced type must be on the allow-list of its
 * kind ({@code video/mp4}, {@code image/jpeg}) and the size under the cap. The body is bounded by a
 * total deadline (a watchdog closes the connection, so even a camera dribbling headers is cut) and a
 * minimum rate per window; a cut transfer resumes with {@code Range} from the bytes received; size and
 * SHA-256 are checked as the bytes pass, before the last one reaches the sink.
 */
public final class MediaPuller implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2})/([A-Za-z0-9][A-Za-z0-9_:-]{0,63})\\.(mp4|jpg)");
  private static final int BUFFER = 256 * 1024;

  private final CameraDirectory cameras;
  private final PullLimits limits;
  private final Path sharedRoot;
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "media-pull-watchdog");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param sharedRoot a folder holding each camera's media directory as {@code <camera id>/}, or empty
   */
  public MediaPuller(CameraDirectory cameras, PullLimits limits, Optional<Path> sharedRoot) {
    this.cameras = cameras;
    this.limits = limits;
    this.sharedRoot = sharedRoot.map(p -> p.toAbsolutePath().normalize()).orElse(null);
  }

  public PullLimits limits() {
    return limits;
  }

  /** The one content type allowed for {@code kind}. */
  public static String allowedType(MediaKind kind) {
    return kind == MediaKind.CLIP ? "video/mp4" : "image/jpeg";
  }

  /** True when {@code contentType} (parameters ignored, any case) is the allowed type of {@code kind}. */
  public static boolean typeAllowed(MediaKind kind, String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String base = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    return base.equals(allowedType(kind));
  }

  /**
   * Checks an announcement without fetching anything: registered camera, path in its namespace,
   * allowed type, size under the cap. Returns the address the media would be fetched from.
   */
  public URI check(MediaRequest r) throws IOException {
    checkAnnouncement(r);
    return uriFor(endpoint(r), r.path());
  }

  private void checkAnnouncement(MediaRequest r) throws PullRefusedException {
    if (r.kind() == null) {
      throw new PullRefusedException("media " + r.mediaId() + ": no media kind");
    }
    Matcher m = PATH.matcher(r.path() == null ? "" : r.path());
    if (!m.matches() || !m.group(2).equals(r.mediaId())
        || !m.group(3).equals(r.kind() == MediaKind.CLIP ? "mp4" : "jpg")) {
      throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId() + ": path '"
          + clip(r.path()) + "' is not <yyyy-MM-dd>/" + r.mediaId() + "."
          + (r.kind() == MediaKind.CLIP ? "mp4" : "jpg") + " in the camera's media directory");
    }
    if (r.contentType() != null && !typeAllowed(r.kind(), r.contentType())) {
      throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
          + ": content type '" + clip(r.contentType()) + "' is not allowed for a "
          + r.kind().name().toLowerCase(Locale.ROOT) + " (only " + allowedType(r.kind()) + ")");
    }
    long max = limits.maxBytes(r.kind());
    if (r.size() < 0 || r.size() > max) {
      throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId() + ": announced "
          + r.size() + " bytes, the limit for a " + r.kind().name().toLowerCase(Locale.ROOT) + " is " + max);
    }
  }

  private CameraEndpoint endpoint(MediaRequest r) throws IOException {
    return cameras.find(r.cameraId()).orElseThrow(() ->
        new PullRefusedException("camera " + r.cameraId() + " is not registered; media " + r.mediaId()
            + " is not fetched"));
  }

  private static URI uriFor(CameraEndpoint e, String path) {
    String base = e.mediaUrl().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    URI uri = URI.create(base + "/media/" + path);
    if (!e.mediaUrl().getHost().equalsIgnoreCase(uri.getHost()) || e.mediaUrl().getPort() != uri.getPort()) {
      throw new IllegalStateException("media address of camera " + e.cameraId() + " changed host");
    }
    return uri;
  }

  /**
   * Pulls the whole file into {@code sink} (not closed), verifying size and SHA-256 as the bytes pass
   * (a byte past the announced size is never written); the caller commits what the sink holds only
   * when this returns, and discards it on any exception.
   *
   * @throws PullRefusedException the announcement or the served bytes break a rule (do not retry)
   * @throws PullFailedException the camera could not deliver now (retry later)
   */
  public PullResult pull(MediaRequest r, OutputStream sink) throws IOException {
    checkAnnouncement(r);
    CameraEndpoint endpoint = endpoint(r);
    Verifier v = new Verifier(r);
    Path shared = sharedFile(r);
    if (shared != null) {
      copyShared(shared, v, sink);
      v.finish();
      return new PullResult(v.count, "shared", 0);
    }
    URI uri = uriFor(endpoint, r.path());
    long deadline = System.nanoTime() + limits.deadline().toNanos();
    int resumes = 0;
    while (true) {
      try {
        fetch(uri, endpoint.token(), r, v, sink, deadline);
        break;
      } catch (Cut e) {
        if (resumes >= limits.maxResumes() || System.nanoTime() >= deadline) {
          throw new PullFailedException("pull interrupted after " + v.count + " of " + r.size() + " bytes ("
              + resumes + " resume(s)): " + e.getMessage());
        }
        resumes++;
      }
    }
    v.finish();
    return new PullResult(v.count, "http", resumes);
  }

  /** A transfer cut before the end: resumable with Range. */
  private static final class Cut extends IOException {
    Cut(String message) {
      super(message);
    }
  }

  private void fetch(URI uri, String token, MediaRequest r, Verifier v, OutputStream sink, long deadline)
      throws IOException {
    long from = v.count;
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    AtomicBoolean expired = new AtomicBoolean();
    long leftNanos = deadline - System.nanoTime();
    if (leftNanos <= 0) {
      throw deadlinePassed(r, v);
    }
    ScheduledFuture<?> dog = watchdog.schedule(() -> {
      expired.set(true);
      c.disconnect();
    }, leftNanos, TimeUnit.NANOSECONDS);
    boolean done = false;
    try {
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(millis(limits.connectTimeout()));
      c.setReadTimeout(millis(limits.rateWindow()));
      if (token != null) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      if (from > 0) {
        c.setRequestProperty("Range", "bytes=" + from + "-");
      }
      int code;
      try {
        code = c.getResponseCode();
      } catch (IOException e) {
        if (expired.get()) {
          throw deadlinePassed(r, v);
        }
        if (from > 0) {
          throw new Cut("camera unreachable on resume: " + describe(e));
        }
        throw new PullFailedException("camera unreachable: " + describe(e));
      }
      if (code != 200 && !(code == 206 && from > 0)) {
        throw status(c, code, token != null, r);
      }
      String type = c.getContentType();
      if (type != null && !typeAllowed(r.kind(), type)) {
        throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
            + ": served as '" + clip(type) + "', not " + allowedType(r.kind()));
      }
      long skip = 0;
      long expected = r.size() - from;
      if (code == 206) {
        String range = c.getHeaderField("Content-Range");
        if (range == null || !range.startsWith("bytes " + from + "-")) {
          throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
              + ": resume asked for bytes " + from + "- and got '" + clip(range) + "'");
        }
      } else if (from > 0) {
        skip = from; // the camera ignored Range: drop what we already have
        expected = r.size();
      }
      long length = c.getContentLengthLong();
      if (length > expected) {
        throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId() + ": serves "
            + (length + from - skip) + " bytes, announced " + r.size());
      }
      try (InputStream in = c.getInputStream()) {
        copyBody(in, skip, r, v, sink, expired);
      }
      done = true;
    } finally {
      dog.cancel(false);
      if (!done) {
        c.disconnect();
      }
    }
  }

  private void copyBody(InputStream in, long skip, MediaRequest r, Verifier v, OutputStream sink,
      AtomicBoolean expired) throws IOException {
    byte[] buf = new byte[BUFFER];
    long window = limits.rateWindow().toNanos();
    long windowStart = System.nanoTime();
    long windowBytes = 0;
    try {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        windowBytes += n;
        int off = 0;
        if (skip > 0) {
          int s = (int) Math.min(skip, n);
          skip -= s;
          off = s;
        }
        if (n > off) {
          v.update(buf, off, n - off);
          sink.write(buf, off, n - off);
        }
        long now = System.nanoTime();
        if (now - windowStart >= window) {
          double seconds = (now - windowStart) / 1e9;
          if (windowBytes < limits.minBytesPerSecond() * seconds) {
            throw new PullFailedException("camera too slow: " + Math.round(windowBytes / seconds)
                + " B/s, below the minimum " + limits.minBytesPerSecond() + " B/s (" + v.count + " of "
                + r.size() + " bytes)");
          }
          windowStart = now;
          windowBytes = 0;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new PullFailedException("camera sent nothing for " + limits.rateWindow().toSeconds() + " s ("
          + v.count + " of " + r.size() + " bytes)");
    } catch (PullFailedException | PullRefusedException e) {
      throw e;
    } catch (IOException e) {
      if (expired.get()) {
        throw deadlinePassed(r, v);
      }
      throw new Cut(describe(e));
    }
    if (expired.get()) {
      throw deadlinePassed(r, v);
    }
    if (v.count < r.size()) {
      throw new Cut("stream ended at " + v.count + " of " + r.size() + " bytes");
    }
  }

  private PullFailedException deadlinePassed(MediaRequest r, Verifier v) {
    return new PullFailedException("pull deadline of " + limits.deadline().toSeconds() + " s passed ("
        + v.count + " of " + r.size() + " bytes)");
  }

  private static IOException status(HttpURLConnection c, int code, boolean hadToken, MediaRequest r) {
    if (code >= 300 && code < 400) {
      return new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
          + ": camera answered a redirect (HTTP " + code + "); redirects are not followed");
    }
    Duration retryAfter = null;
    String ra = c.getHeaderField("Retry-After");
    if (ra != null && ra.strip().matches("\\d{1,6}")) {
      retryAfter = Duration.ofSeconds(Long.parseLong(ra.strip()));
    }
    String why = switch (code) {
      case 401, 403 -> "camera refused the token (HTTP " + code + ")"
          + (hadToken ? "" : "; no token registered for camera " + r.cameraId());
      case 404 -> "camera no longer has the file (HTTP 404)";
      default -> "camera answered HTTP " + code;
    };
    return new PullFailedException(why, retryAfter);
  }

  /** The file under the shared root for this camera, or null (not configured, outside it, absent). */
  Path sharedFile(MediaRequest r) throws IOException {
    if (sharedRoot == null) {
      return null;
    }
    Path cameraRoot = sharedRoot.resolve(r.cameraId()).normalize();
    Path p = cameraRoot.resolve(r.path()).normalize();
    if (!cameraRoot.startsWith(sharedRoot) || !p.startsWith(cameraRoot)
        || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!p.toRealPath().startsWith(cameraRoot.toRealPath())) {
      return null;
    }
    return p;
  }

  private static void copyShared(Path file, Verifier v, OutputStream sink) throws IOException {
    byte[] buf = new byte[1 << 20];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        bb.clear();
        int n = ch.read(bb);
        if (n < 0) {
          break;
        }
        v.update(buf, 0, n);
        sink.write(buf, 0, n);
      }
    }
  }

  /**
   * Opens media for pass-through playback (the web UI's clip streaming), asking for {@code range}
   * when it is a plain {@code bytes=a-b}; no total deadline (the viewer sets the pace) but the same
   * address rule, type check and an idle bound on each read. The caller closes the body.
   */
  public Opened open(MediaRequest r, String range) throws IOException {
    checkAnnouncement(r);
    CameraEndpoint endpoint = endpoint(r);
    URI uri = uriFor(endpoint, r.path());
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout(millis(limits.connectTimeout()));
    c.setReadTimeout(millis(limits.rateWindow()));
    if (endpoint.token() != null) {
      c.setRequestProperty("Authorization", "Bearer " + endpoint.token());
    }
    if (range != null && range.matches("bytes=\\d{0,19}-\\d{0,19}")) {
      c.setRequestProperty("Range", range);
    }
    ScheduledFuture<?> dog = watchdog.schedule(c::disconnect,
        limits.connectTimeout().plus(limits.rateWindow()).toNanos(), TimeUnit.NANOSECONDS);
    try {
      int code = c.getResponseCode();
      String type = c.getContentType();
      if ((code == 200 || code == 206) && type != null && !typeAllowed(r.kind(), type)) {
        c.disconnect();
        throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
            + ": served as '" + clip(type) + "', not " + allowedType(r.kind()));
      }
      InputStream body = code < 400 ? c.getInputStream() : InputStream.nullInputStream();
      if (code >= 400) {
        c.disconnect();
      }
      return new Opened(code, c.getHeaderField("Content-Range"), c.getContentLengthLong(), body);
    } catch (IOException e) {
      c.disconnect();
      throw e;
    } finally {
      dog.cancel(false);
    }
  }

  /** A response opened for pass-through: status, Content-Range (or null), length (-1 unknown), body. */
  public record Opened(int status, String contentRange, long contentLength, InputStream body) {}

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("[^\\x20-\\x7e]", "?");
    return t.length() <= 80 ? t : t.substring(0, 80) + "…";
  }

  /** Counts and hashes the bytes as they pass; refuses the first byte past the announced size. */
  private static final class Verifier {
    private final MediaRequest r;
    private final MessageDigest sha;
    long count;

    Verifier(MediaRequest r) {
      this.r = r;
      try {
        this.sha = r.sha256() == null ? null : MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    void update(byte[] b, int off, int len) throws PullRefusedException {
      if (count + len > r.size()) {
        throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
            + ": file is larger than the announced " + r.size() + " bytes");
      }
      count += len;
      if (sha != null) {
        sha.update(b, off, len);
      }
    }

    void finish() throws PullRefusedException {
      if (count != r.size()) {
        throw new PullRefusedException("media " + r.mediaId() + ": got " + count + " bytes, announced "
            + r.size());
      }
      if (sha != null) {
        String hex = HexFormat.of().formatHex(sha.digest());
        if (!hex.equalsIgnoreCase(r.sha256())) {
          throw new PullRefusedException("media " + r.mediaId() + " from camera " + r.cameraId()
              + ": SHA-256 mismatch (got " + hex.substring(0, 12) + "…, announced "
              + clip(r.sha256()).substring(0, Math.min(12, r.sha256().length())) + "…)");
        }
      }
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
