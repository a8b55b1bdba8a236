package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.media.MediaServer;
import org.mecam.agent.observe.Metrics;

/** The media endpoint: bearer token, no traversal or listing, Range requests. */
class MediaServerTest {
  private static final String TOKEN = AgentFixtures.TOKEN;
  private static final String CLIP = "/media/2026-11-26/3f1c9a7e-0000-4000-8000-000000000001.mp4";

  @TempDir
  Path dir;
  private MediaServer server;
  private byte[] content;
  private Path outside;

  @BeforeEach
  void start() throws Exception {
    Path media = dir.resolve("media");
    Path day = Files.createDirectories(media.resolve("2026-11-26"));
    content = new byte[1000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    Files.write(day.resolve("3f1c9a7e-0000-4000-8000-000000000001.mp4"), content);
    Files.write(day.resolve("partial-1.mp4.part"), content);
    outside = dir.resolve("secret.txt");
    Files.writeString(outside, "root:x:0:0 top secret");
    Files.createSymbolicLink(day.resolve("evil.jpg"), outside);
    server = new MediaServer("127.0.0.1", 0, media, TOKEN, new Metrics(),
        () -> new MediaServer.Health(true, "{\"status\":\"UP\"}"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A raw HTTP exchange, so the path reaches the server exactly as written (no client normalisation). */
  private record Response(int status, String head, byte[] body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
          return line.substring(c + 1).trim();
        }
      }
      return null;
    }
  }

  private Response request(String method, String path, String... headers) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: camera\r\nConnection: close\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      String head = text.substring(0, split);
      byte[] body = Arrays.copyOfRange(all, split + 4, all.length);
      if ("chunked".equalsIgnoreCase(new Response(0, head, body).header("Transfer-Encoding"))) {
        body = unchunk(body);
      }
      return new Response(Integer.parseInt(head.split(" ")[1]), head, body);
    }
  }

  private static byte[] unchunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int eol = i;
      while (body[eol] != '\r') {
        eol++;
      }
      int n = Integer.parseInt(new String(body, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
      if (n == 0) {
        break;
      }
      out.write(body, eol + 2, n);
      i = eol + 2 + n + 2;
    }
    return out.toByteArray();
  }

  private static String bearer(String token) {
    return "Authorization: Bearer " + token;
  }

  @Test
  void missingTokenIs401AndWrongTokenIs403() throws Exception {
    Response none = request("GET", CLIP);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(request("GET", CLIP, "Authorization: Basic dXNlcjpwYXNz").status()).isEqualTo(401);
    assertThat(request("GET", CLIP, bearer("not-the-token")).status()).isEqualTo(403);
    assertThat(request("GET", CLIP, bearer(TOKEN + "x")).status()).isEqualTo(403);
    Response ok = request("GET", CLIP, bearer(TOKEN));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(content);
    assertThat(ok.header("Content-Type")).isEqualTo("video/mp4");
  }

  @Test
  void traversalAbsoluteAndEncodedPathsAreRefused() throws Exception {
    String[] attacks = {
        "/media/../secret.txt",
        "/media/2026-11-26/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/%2E%2E%2Fsecret.txt",
        "/media/2026-11-26/..%2f..%2fsecret.txt",
        "/media/..%5c..%5csecret.txt",
        "/media//etc/passwd",
        "/media/" + outside.toAbsolutePath(),
        "/media/%2Fetc%2Fpasswd",
        "/media/2026-11-26/evil.jpg",
        "/media/2026-11-26/%65vil.jpg",
        "/media/2026-11-26/partial-1.mp4.part",
    };
    for (String path : attacks) {
      Response r = request("GET", path, bearer(TOKEN));
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(path).doesNotContain("secret").doesNotContain("root:");
    }
  }

  @Test
  void directoriesAreNeverListed() throws Exception {
    for (String path : new String[] {"/media/", "/media/2026-11-26/", "/media/2026-11-26", "/"}) {
      Response r = request("GET", path, bearer(TOKEN));
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("3f1c9a7e");
    }
  }

  @Test
  void rangeRequestsAnswer206WithContentRange() throws Exception {
    Response r = request("GET", CLIP, bearer(TOKEN), "Range: bytes=10-19");
    assertThat(r.status()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes 10-19/1000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    Response tail = request("GET", CLIP, bearer(TOKEN), "Range: bytes=-5");
    assertThat(tail.header("Content-Range")).isEqualTo("bytes 995-999/1000");
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, 995, 1000));
    Response open = request("GET", CLIP, bearer(TOKEN), "Range: bytes=990-");
    assertThat(open.body()).hasSize(10);
    Response beyond = request("GET", CLIP, bearer(TOKEN), "Range: bytes=1000-");
    assertThat(beyond.status()).isEqualTo(416);
    assertThat(beyond.header("Content-Range")).isEqualTo("bytes */1000");
    Response head = request("HEAD", CLIP, bearer(TOKEN));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
  }

  @Test
  void onlyGetAndHeadAreAllowedAndHealthAndMetricsAreOpen() throws Exception {
    assertThat(request("POST", CLIP, bearer(TOKEN), "Content-Length: 0").status()).isEqualTo(405);
    assertThat(request("DELETE", CLIP, bearer(TOKEN)).status()).isEqualTo(405);
    assertThat(request("GET", "/health").status()).isEqualTo(200);
    Response m = request("GET", "/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(new String(m.body(), StandardCharsets.UTF_8)).contains("# TYPE mecam_agent_http_media_served_total counter");
  }
}
