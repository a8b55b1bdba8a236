package org.mecam.agent.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mecam.agent.observe.Metrics;
import org.mecam.events.ByteRange;

/**
 * The agent's HTTP server: {@code /media/<day>/<media id>.<mp4|jpg>} serves finished media from the
 * media directory only, to holders of the camera's bearer token, with Range support and no listing;
 * {@code /metrics} (Prometheus text) and {@code /health} are open and carry no secrets.
 */
public final class MediaServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MediaServer.class.getName());
  /** The only shape a media request may have; everything else is refused before touching the disk. */
  private static final Pattern MEDIA = Pattern.compile("/media/(\\d{4}-\\d{2}-\\d{2})/([A-Za-z0-9][A-Za-z0-9_:-]{0,63})\\.(mp4|jpg)");

  /** Health as the server reports it: overall up, and a JSON object of checks. */
  public record Health(boolean up, String json) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final byte[] token;
  private final Metrics.Counter served;
  private final Metrics.Counter refused;

  public MediaServer(String bind, int port, Path mediaRoot, String token, Metrics metrics,
      Supplier<Health> health) throws IOException {
    this.root = mediaRoot.toAbsolutePath().normalize();
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.served = metrics.counter("mecam_agent_http_media_served_total", "Media requests answered with content");
    this.refused = metrics.counter("mecam_agent_http_media_refused_total",
        "Media requests refused (bad token, bad path, missing file)");
    // TCP_NODELAY on the accepted sockets: the JDK server writes head and body separately, and with
    // Nagle every pull waited ~40 ms for the puller's delayed ACK. Read when the first server starts.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    this.server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "media-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/media/", this::media);
    server.createContext("/metrics", ex -> {
      if (!allowGet(ex)) {
        return;
      }
      byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      send(ex, 200, body);
    });
    server.createContext("/health", ex -> {
      if (!allowGet(ex)) {
        return;
      }
      Health h = health.get();
      ex.getResponseHeaders().set("Content-Type", "application/json");
      send(ex, h.up() ? 200 : 503, h.json().getBytes(StandardCharsets.UTF_8));
    });
    server.createContext("/", ex -> send(ex, 404, "not found\n".getBytes(StandardCharsets.UTF_8)));
  }

  public void start() {
    server.start();
    LOG.info("HTTP server on port " + port() + " serving " + root);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void media(HttpExchange ex) throws IOException {
    try {
      if (!allowGet(ex)) {
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mecam-camera\"");
        refuse(ex, 401, "missing bearer token");
        return;
      }
      byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, token)) {
        refuse(ex, 403, "wrong token");
        return;
      }
      Path file = resolve(ex.getRequestURI().getRawPath());
      if (file == null) {
        refuse(ex, 400, "path refused");
        return;
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        refuse(ex, 404, "no such media");
        return;
      }
      serveFile(ex, file);
    } finally {
      ex.close();
    }
  }

  /**
   * Maps a raw request path to a file inside the media root, or null when the path is not of the one
   * allowed shape, uses encoded separators or dots, or (through a symlink) leaves the root.
   */
  Path resolve(String rawPath) {
    if (rawPath == null || rawPath.length() > 200) {
      return null;
    }
    String lower = rawPath.toLowerCase(Locale.ROOT);
    // Only letters, digits and -_.:/ may appear raw; any %-escape (encoded '.', '/', '\' ...) is refused.
    if (lower.contains("%") || lower.contains("\\") || lower.contains("..") || lower.contains("//")) {
      return null;
    }
    String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
    Matcher m = MEDIA.matcher(path);
    if (!m.matches()) {
      return null;
    }
    Path file = root.resolve(m.group(1)).resolve(m.group(2) + "." + m.group(3)).normalize();
    if (!file.startsWith(root)) {
      return null;
    }
    try {
      if (Files.exists(file)) {
        Path real = file.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
          return null;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return file;
  }

  private void serveFile(HttpExchange ex, Path file) throws IOException {
    long size = Files.size(file);
    String type = file.toString().endsWith(".mp4") ? "video/mp4" : "image/jpeg";
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ByteRange range = ByteRange.resolve(ex.getRequestHeaders().getFirst("Range"), size);
    if (range.contentRange() != null) {
      ex.getResponseHeaders().set("Content-Range", range.contentRange());
    }
    if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
      refuse(ex, 416, "range not satisfiable");
      return;
    }
    long start = range.first();
    int status = range.status();
    long length = range.length();
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : length);
    if (!head) {
      try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
        in.skipNBytes(start);
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }
    served.inc();
  }

  private void refuse(HttpExchange ex, int status, String reason) throws IOException {
    refused.inc();
    LOG.fine("refused " + ex.getRequestMethod() + " " + clip(ex.getRequestURI().getRawPath()) + " from "
        + ex.getRemoteAddress().getAddress().getHostAddress() + ": " + status + " " + reason);
    send(ex, status, (reason + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static boolean allowGet(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    send(ex, 405, "method not allowed\n".getBytes(StandardCharsets.UTF_8));
    return false;
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
