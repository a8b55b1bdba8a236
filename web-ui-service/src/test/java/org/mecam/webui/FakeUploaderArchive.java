package org.mecam.webui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the uploader's internal archive endpoint, speaking its contract:
 * {@code GET/HEAD /internal/archive/{mediaId}} with a bearer token, the stored encrypted bytes,
 * {@code Range: bytes=a-b} answered 206 with Content-Range (416 when unsatisfiable), 404 for an
 * unknown id, 503 when the backend is down, 401 for a wrong token. Records every range it served.
 */
public final class FakeUploaderArchive implements AutoCloseable {
  /** One answered request: the media id, the status and the byte range served (or -1). */
  public record Served(String mediaId, int status, long from, long to) {
    long bytes() {
      return from < 0 ? 0 : to - from + 1;
    }
  }

  private static final Pattern PATH = Pattern.compile("/internal/archive/([^/]+)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private final HttpServer server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final List<Served> served = new CopyOnWriteArrayList<>();
  private volatile String token;
  private volatile boolean backendDown;
  private volatile boolean dropConnections;

  public FakeUploaderArchive(String token) throws IOException {
    this.token = token;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-uploader");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/internal/archive/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void put(String mediaId, byte[] encrypted) {
    objects.put(mediaId, encrypted);
  }

  /** The stored bytes of one media id, or null. */
  public byte[] get(String mediaId) {
    return objects.get(mediaId);
  }

  public void token(String expected) {
    token = expected;
  }

  public void backendDown(boolean down) {
    backendDown = down;
  }

  public void dropConnections(boolean drop) {
    dropConnections = drop;
  }

  /** What was served for one media id so far. */
  public List<Served> served(String mediaId) {
    return served.stream().filter(s -> s.mediaId().equals(mediaId)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (dropConnections) {
        ex.close();
        return;
      }
      Matcher p = PATH.matcher(ex.getRequestURI().getPath());
      String id = p.matches() ? p.group(1) : "?";
      boolean head = "HEAD".equals(ex.getRequestMethod());
      if (!head && !"GET".equals(ex.getRequestMethod())) {
        answer(ex, id, 405, "method not allowed");
        return;
      }
      if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        answer(ex, id, 401, "missing or wrong bearer token");
        return;
      }
      if (backendDown) {
        answer(ex, id, 503, "storage backend unavailable: Google Drive is unreachable");
        return;
      }
      byte[] body = objects.get(id);
      if (body == null) {
        answer(ex, id, 404, "media " + id + " is not in the archive");
        return;
      }
      long size = body.length;
      long from = 0;
      long to = size - 1;
      int status = 200;
      String range = ex.getRequestHeaders().getFirst("Range");
      if (range != null) {
        Matcher r = RANGE.matcher(range);
        if (!r.matches() || (r.group(1).isEmpty() && r.group(2).isEmpty())) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
          answer(ex, id, 416, "");
          return;
        }
        if (r.group(1).isEmpty()) {
          from = Math.max(0, size - Long.parseLong(r.group(2)));
        } else {
          from = Long.parseLong(r.group(1));
          if (!r.group(2).isEmpty()) {
            to = Math.min(to, Long.parseLong(r.group(2)));
          }
        }
        if (from >= size || from > to) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
          answer(ex, id, 416, "");
          return;
        }
        status = 206;
        ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
      }
      ex.getResponseHeaders().set("Accept-Ranges", "bytes");
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      long length = to - from + 1;
      served.add(new Served(id, status, from, to));
      ex.sendResponseHeaders(status, head ? -1 : length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body, (int) from, (int) length);
        }
      }
    }
  }

  /** Errors in plain text, one line, as the uploader answers them. */
  private void answer(HttpExchange ex, String id, int status, String text) throws IOException {
    served.add(new Served(id, status, -1, -1));
    byte[] b = (text.isEmpty() ? "" : text + "\n").getBytes(StandardCharsets.UTF_8);
    if (b.length > 0) {
      ex.getResponseHeaders().set("Content-Type", "text/plain");
    }
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
