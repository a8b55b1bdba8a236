package org.mecam.uploader;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A camera agent's media server for tests: serves files from a folder at {@code /media/<name>} to
 * requests carrying {@code Authorization: Bearer <token>}, and counts requests.
 */
public final class FakeCamera implements AutoCloseable {
  private final HttpServer server;
  private final Path dir;
  private final AtomicInteger requests = new AtomicInteger();

  public FakeCamera(Path dir, String token) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/media/", ex -> {
      requests.incrementAndGet();
      try (ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + token).equals(auth)) {
          ex.sendResponseHeaders(401, -1);
          return;
        }
        String name = ex.getRequestURI().getPath().substring("/media/".length());
        Path f = dir.resolve(name).normalize();
        if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        ex.sendResponseHeaders(200, Files.size(f));
        try (OutputStream out = ex.getResponseBody()) {
          Files.copy(f, out);
        }
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** The media address to register for this camera. */
  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/media/" + name;
  }

  public int requests() {
    return requests.get();
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
