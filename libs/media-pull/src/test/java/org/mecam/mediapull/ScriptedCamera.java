package org.mecam.mediapull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback HTTP/1.1 peer on raw sockets, so a test controls every byte and its timing: it logs
 * each request (request line and headers) and answers with a {@link Script}.
 */
final class ScriptedCamera implements AutoCloseable {
  /** One request as received. */
  record Request(String line, Map<String, String> headers) {}

  /** Writes a whole response to {@code out}. */
  @FunctionalInterface
  interface Script {
    void answer(Request request, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final List<Request> log = Collections.synchronizedList(new ArrayList<>());
  private final Thread acceptor;
  private volatile Script script;
  private volatile boolean open = true;

  ScriptedCamera(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "scripted-camera");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  String base() {
    return "http://127.0.0.1:" + port();
  }

  List<Request> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  void script(Script s) {
    this.script = s;
  }

  private void accept() {
    while (open) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "scripted-camera-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String line = in.readLine();
      if (line == null) {
        return;
      }
      Map<String, String> headers = new HashMap<>();
      String h;
      while ((h = in.readLine()) != null && !h.isEmpty()) {
        int c = h.indexOf(':');
        if (c > 0) {
          headers.put(h.substring(0, c).strip().toLowerCase(), h.substring(c + 1).strip());
        }
      }
      Request r = new Request(line, headers);
      log.add(r);
      script.answer(r, s.getOutputStream());
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  static void head(OutputStream out, int status, String type, long length, String... extra) throws IOException {
    StringBuilder b = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
    if (type != null) {
      b.append("Content-Type: ").append(type).append("\r\n");
    }
    if (length >= 0) {
      b.append("Content-Length: ").append(length).append("\r\n");
    }
    for (String e : extra) {
      b.append(e).append("\r\n");
    }
    b.append("Connection: close\r\n\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
  }
}
