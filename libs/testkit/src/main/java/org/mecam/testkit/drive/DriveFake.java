package org.mecam.testkit.drive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local Google Drive v3 peer for tests, reached by the real Google client through its root URL:
 * files.create (metadata only, multipart, and resumable with 308 + Range), files.list with the query
 * terms mecam issues (name, parents, mimeType, trashed, appProperties has {...}, createdTime), files.get
 * (metadata, and {@code alt=media} whole or by {@code Range}, on {@code /drive/v3/files/{id}} and on
 * {@code /download/drive/v3/files/{id}} where the client sends it), files.delete, gzip-encoded request
 * bodies, an OAuth token endpoint (refresh and authorization-code grants, auto-consenting authorize
 * page), a storage quota, and fault injection: 5xx, 429 with Retry-After, a connection dropped
 * mid-upload, a slow link.
 */
public final class DriveFake implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MEDIA_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final Pattern APP_PROPERTY =
      Pattern.compile("appProperties has \\{\\s*key\\s*=\\s*'([^']*)'\\s+and\\s+value\\s*=\\s*'([^']*)'\\s*\\}");

  private final HttpServer server;
  private final Path storage;
  private final Map<String, FakeFile> files = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
  private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, String> codes = new ConcurrentHashMap<>();
  private final Deque<DriveFault> scripted = new ArrayDeque<>();
  private final Deque<DriveFault> scriptedChunks = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger faultsInjected = new AtomicInteger();
  private final AtomicInteger uploadsCreated = new AtomicInteger();
  private final AtomicInteger mediaReads = new AtomicInteger();
  private final AtomicInteger putsInFlight = new AtomicInteger();
  private final List<SessionPut> sessionPuts = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> rangeRequests = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Random random = new Random(42);
  private volatile double failureRate;
  private volatile long bytesPerSecond;
  private volatile long quotaBytes = Long.MAX_VALUE;
  private volatile int retryAfterSeconds = 1;

  /**
   * One PUT on a resumable upload session as the fake saw it: the session's upload id, the request's
   * Content-Range ({@code bytes a-b/total}, or {@code bytes *}{@code /total} for a status query), and how
   * many bytes the session had committed before and after it.
   */
  public record SessionPut(String uploadId, String contentRange, long committedBefore, long committedAfter) {}

  /** An open resumable upload. */
  private static final class Session {
    final ObjectNode metadata;
    final Path part;
    volatile long received;
    long total = -1;

    Session(ObjectNode metadata, Path part) {
      this.metadata = metadata;
      this.part = part;
    }
  }

  private DriveFake(Path storage) throws IOException {
    this.storage = storage;
    Files.createDirectories(storage);
    // Answer without Nagle, as Google's front end does: the JDK server writes a response's head and body
    // separately, and without TCP_NODELAY each chunk's answer waited ~40 ms for the client's delayed
    // ACK. Read once per JVM, when the first JDK HTTP server starts.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "drive-fake");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** Starts a fake keeping file contents under {@code storage}. */
  public static DriveFake start(Path storage) {
    try {
      return new DriveFake(storage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The root URL to give the Drive client ({@code http://127.0.0.1:<port>/}). */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The OAuth token endpoint. */
  public String tokenUrl() {
    return rootUrl() + "token";
  }

  /** The OAuth authorization page: it consents at once and redirects with a code. */
  public String authUrl() {
    return rootUrl() + "o/oauth2/auth";
  }

  /** Makes {@code token} a valid refresh token (as if the owner had linked the account). */
  public DriveFake acceptRefreshToken(String token) {
    refreshTokens.add(token);
    return this;
  }

  /** Revokes every refresh and access token: the next refresh gets {@code invalid_grant}. */
  public void revokeAll() {
    refreshTokens.clear();
    accessTokens.clear();
  }

  /** Expires every access token, forcing the client to refresh. */
  public void expireAccessTokens() {
    accessTokens.clear();
  }

  /** Fails this share of Drive requests (0..1) with a random fault from {@link DriveFault}. */
  public DriveFake failureRate(double rate) {
    this.failureRate = rate;
    return this;
  }

  /** Fails the next requests with these faults, in order. */
  public synchronized DriveFake failNext(DriveFault... faults) {
    scripted.addAll(List.of(faults));
    return this;
  }

  /** Fails the next resumable-upload chunk PUTs with these faults, in order (other requests pass). */
  public synchronized DriveFake failNextChunk(DriveFault... faults) {
    scriptedChunks.addAll(List.of(faults));
    return this;
  }

  /** Limits how fast request bodies are read (0 = no limit). */
  public DriveFake slowLink(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    return this;
  }

  /** Total bytes of file content the account may hold. */
  public DriveFake quotaBytes(long bytes) {
    this.quotaBytes = bytes;
    return this;
  }

  /** The Retry-After (seconds) sent with 429. */
  public DriveFake retryAfterSeconds(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** All files and folders (not trashed). */
  public Collection<FakeFile> files() {
    return List.copyOf(files.values());
  }

  /** Files that are not folders. */
  public List<FakeFile> mediaFiles() {
    return files.values().stream().filter(f -> !f.isFolder()).toList();
  }

  public int requests() {
    return requests.get();
  }

  public int faultsInjected() {
    return faultsInjected.get();
  }

  /** Requests as {@code METHOD path?query} lines, for assertions and debugging. */
  public List<String> requestLog() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Adds a file directly (e.g. an old file for retention tests). */
  public FakeFile put(String name, List<String> parents, Map<String, String> appProperties, byte[] content,
      Instant created) {
    try {
      String id = newId();
      Path p = storage.resolve(id);
      Files.write(p, content);
      FakeFile f = new FakeFile(id, name, "application/octet-stream", parents, appProperties, content.length,
          md5(p), created, p);
      files.put(id, f);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes a file as if it was deleted on Drive; false when there was none. */
  public boolean delete(String id) {
    FakeFile f = files.remove(id);
    if (f != null && f.content() != null) {
      try {
        Files.deleteIfExists(f.content());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return f != null;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---------------------------------------------------------------- dispatch

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    log.add(method + " " + path + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
    try {
      if (path.equals("/token")) {
        token(ex);
        return;
      }
      if (path.equals("/o/oauth2/auth")) {
        authorize(ex, query);
        return;
      }
      if (!path.startsWith("/drive/v3/") && !path.startsWith("/upload/drive/v3/")
          && !path.startsWith("/download/drive/v3/")) {
        error(ex, 404, "notFound", "no such endpoint " + path);
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.contains(auth.substring(7))) {
        error(ex, 401, "authError", "Invalid Credentials");
        return;
      }
      DriveFault fault = nextFault(method.equals("PUT") && query.containsKey("upload_id")
          && ex.getRequestHeaders().getFirst("Content-Range") != null
          && !ex.getRequestHeaders().getFirst("Content-Range").startsWith("bytes */"));
      if (fault != null) {
        inject(ex, fault);
        return;
      }
      if (path.startsWith("/download/drive/v3/files/")) {
        // The client sends files.get with alt=media here (root URL + "download/drive/v3/...").
        String id = path.substring("/download/drive/v3/files/".length());
        FakeFile f = files.get(id);
        if (f == null) {
          error(ex, 404, "notFound", "File not found: " + id + ".");
        } else if (method.equals("GET") && "media".equals(query.get("alt"))) {
          media(ex, f);
        } else {
          error(ex, 400, "badRequest", "download path without alt=media");
        }
      } else if (path.equals("/upload/drive/v3/files")) {
        String type = query.getOrDefault("uploadType", "");
        if (method.equals("POST") && type.equals("multipart")) {
          multipart(ex);
        } else if (method.equals("POST") && type.equals("resumable")) {
          startResumable(ex);
        } else if (method.equals("PUT") && query.containsKey("upload_id")) {
          continueResumable(ex, query.get("upload_id"));
        } else if (method.equals("POST") && type.equals("media")) {
          error(ex, 400, "badRequest", "uploadType=media is not used by mecam");
        } else {
          error(ex, 400, "badRequest", "unsupported upload request");
        }
      } else if (path.equals("/drive/v3/files") && method.equals("GET")) {
        list(ex, query);
      } else if (path.equals("/drive/v3/files") && method.equals("POST")) {
        ObjectNode meta = (ObjectNode) JSON.readTree(body(ex));
        FakeFile f = create(meta, null);
        json(ex, 200, fileJson(f));
      } else if (path.startsWith("/drive/v3/files/")) {
        String id = path.substring("/drive/v3/files/".length());
        FakeFile f = files.get(id);
        if (f == null) {
          error(ex, 404, "notFound", "File not found: " + id + ".");
        } else if (method.equals("GET") && "media".equals(query.get("alt"))) {
          media(ex, f);
        } else if (method.equals("GET")) {
          json(ex, 200, fileJson(f));
        } else if (method.equals("DELETE")) {
          files.remove(id);
          if (f.content() != null) {
            Files.deleteIfExists(f.content());
          }
          ex.sendResponseHeaders(204, -1);
        } else {
          error(ex, 405, "badRequest", method + " not supported");
        }
      } else {
        error(ex, 404, "notFound", "no such endpoint " + path);
      }
    } catch (DroppedConnection e) {
      // closing the exchange before answering drops the connection
    } catch (BadRequest e) {
      error(ex, 400, "badRequest", e.getMessage());
    } catch (IOException | RuntimeException e) {
      try {
        error(ex, 500, "backendError", String.valueOf(e));
      } catch (IOException | RuntimeException ignored) {
        // the connection is gone
      }
    } finally {
      ex.close();
    }
  }

  private synchronized DriveFault nextFault(boolean chunk) {
    DriveFault f = chunk && !scriptedChunks.isEmpty() ? scriptedChunks.poll() : scripted.poll();
    if (f == null && failureRate > 0 && random.nextDouble() < failureRate) {
      DriveFault[] all = DriveFault.values();
      f = all[random.nextInt(all.length)];
    }
    if (f != null) {
      faultsInjected.incrementAndGet();
    }
    return f;
  }

  private void inject(HttpExchange ex, DriveFault fault) throws IOException {
    switch (fault) {
      case SERVER_ERROR -> error(ex, 500, "backendError", "Internal Error (injected)");
      case UNAVAILABLE -> error(ex, 503, "backendError", "Service Unavailable (injected)");
      case RATE_LIMITED -> {
        ex.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
        error(ex, 429, "rateLimitExceeded", "Rate Limit Exceeded (injected)");
      }
      case CONNECTION_RESET -> {
        // Read a little of the body, then drop the connection without answering.
        InputStream in = ex.getRequestBody();
        in.readNBytes(16 * 1024);
        throw new DroppedConnection();
      }
    }
  }

  /** Unwinds to close the exchange without a response. */
  private static final class DroppedConnection extends RuntimeException {
    DroppedConnection() {
      super("connection dropped (injected)", null, false, false);
    }
  }

  /** A request the fake does not understand: answered 400 so the test shows it. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- OAuth

  private void token(HttpExchange ex) throws IOException {
    Map<String, String> form = query(new String(body(ex), StandardCharsets.UTF_8));
    String grant = form.getOrDefault("grant_type", "");
    ObjectNode out = JSON.createObjectNode();
    if (grant.equals("refresh_token")) {
      if (!refreshTokens.contains(form.getOrDefault("refresh_token", ""))) {
        oauthError(ex, "invalid_grant", "Token has been expired or revoked.");
        return;
      }
    } else if (grant.equals("authorization_code")) {
      String code = form.getOrDefault("code", "");
      String verifier = codes.remove(code);
      if (verifier == null) {
        oauthError(ex, "invalid_grant", "Malformed auth code.");
        return;
      }
      if (!verifier.isEmpty() && !verifier.equals(s256(form.getOrDefault("code_verifier", "")))) {
        oauthError(ex, "invalid_grant", "Missing code verifier.");
        return;
      }
      String refresh = "1//refresh-" + UUID.randomUUID();
      refreshTokens.add(refresh);
      out.put("refresh_token", refresh);
    } else {
      oauthError(ex, "unsupported_grant_type", "Invalid grant_type: " + grant);
      return;
    }
    String access = "ya29.fake-" + UUID.randomUUID();
    accessTokens.add(access);
    out.put("access_token", access);
    out.put("expires_in", 3599);
    out.put("token_type", "Bearer");
    out.put("scope", "https://www.googleapis.com/auth/drive.file");
    json(ex, 200, out);
  }

  private void authorize(HttpExchange ex, Map<String, String> q) throws IOException {
    String redirect = q.get("redirect_uri");
    if (redirect == null || q.get("client_id") == null) {
      error(ex, 400, "invalid_request", "redirect_uri and client_id are required");
      return;
    }
    String code = "4/code-" + UUID.randomUUID();
    String challenge = q.getOrDefault("code_challenge", "");
    codes.put(code, challenge);
    String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
        + (q.containsKey("state") ? "&state=" + enc(q.get("state")) : "") + "&scope="
        + enc(q.getOrDefault("scope", ""));
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private static String s256(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void oauthError(HttpExchange ex, String error, String description) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("error", error);
    n.put("error_description", description);
    json(ex, 400, n);
  }

  // ---------------------------------------------------------------- files

  private void list(HttpExchange ex, Map<String, String> query) throws IOException {
    Predicate<FakeFile> filter = parseQuery(query.getOrDefault("q", ""));
    int pageSize = Integer.parseInt(query.getOrDefault("pageSize", "100"));
    int offset = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken")) : 0;
    List<FakeFile> matches = files.values().stream().filter(filter)
        .sorted(java.util.Comparator.comparing(FakeFile::createdTime).thenComparing(FakeFile::id)).toList();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("files");
    int end = Math.min(matches.size(), offset + pageSize);
    for (int i = offset; i < end; i++) {
      arr.add(fileJson(matches.get(i)));
    }
    if (end < matches.size()) {
      out.put("nextPageToken", Integer.toString(end));
    }
    json(ex, 200, out);
  }

  /** Parses the subset of the Drive query language mecam uses; anything else is a 400. */
  static Predicate<FakeFile> parseQuery(String q) {
    Predicate<FakeFile> p = f -> true;
    Matcher m = APP_PROPERTY.matcher(q);
    StringBuilder rest = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String value = m.group(2);
      p = p.and(f -> f.appProperties() != null && value.equals(f.appProperties().get(key)));
      m.appendReplacement(rest, "");
    }
    m.appendTail(rest);
    for (String raw : rest.toString().split("\\s+and\\s+")) {
      String term = raw.strip();
      if (term.isEmpty()) {
        continue;
      }
      Matcher t;
      if ((t = Pattern.compile("name\\s*=\\s*'([^']*)'").matcher(term)).matches()) {
        String v = t.group(1);
        p = p.and(f -> v.equals(f.name()));
      } else if ((t = Pattern.compile("'([^']*)'\\s+in\\s+parents").matcher(term)).matches()) {
        String v = t.group(1);
        p = p.and(f -> f.parents() != null && f.parents().contains(v));
      } else if ((t = Pattern.compile("mimeType\\s*(!?=)\\s*'([^']*)'").matcher(term)).matches()) {
        boolean eq = t.group(1).equals("=");
        String v = t.group(2);
        p = p.and(f -> v.equals(f.mimeType()) == eq);
      } else if (term.matches("trashed\\s*=\\s*false")) {
        // trashed files are removed at once in the fake
      } else if ((t = Pattern.compile("createdTime\\s*<\\s*'([^']*)'").matcher(term)).matches()) {
        Instant v = Instant.parse(t.group(1));
        p = p.and(f -> f.createdTime().isBefore(v));
      } else {
        throw new BadRequest("Invalid Value: query term not supported by the fake: " + term);
      }
    }
    return p;
  }

  private FakeFile create(ObjectNode meta, Path content) throws IOException {
    String id = newId();
    long size = 0;
    String md5 = null;
    Path stored = null;
    if (content != null) {
      size = Files.size(content);
      long used = files.values().stream().mapToLong(FakeFile::size).sum();
      if (used + size > quotaBytes) {
        Files.deleteIfExists(content);
        throw new QuotaExceeded();
      }
      stored = storage.resolve(id);
      Files.move(content, stored);
      md5 = md5(stored);
    }
    List<String> parents = new ArrayList<>();
    if (meta.has("parents")) {
      meta.get("parents").forEach(n -> parents.add(n.asText()));
    }
    Map<String, String> props = new LinkedHashMap<>();
    if (meta.has("appProperties")) {
      meta.get("appProperties").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
    }
    String mime = meta.has("mimeType") ? meta.get("mimeType").asText() : "application/octet-stream";
    FakeFile f = new FakeFile(id, meta.has("name") ? meta.get("name").asText() : "Untitled", mime,
        List.copyOf(parents), Map.copyOf(props), size, md5, Instant.now(), stored);
    files.put(id, f);
    if (content != null) {
      uploadsCreated.incrementAndGet();
    }
    return f;
  }

  /** Thrown when a new file would exceed the quota. */
  private static final class QuotaExceeded extends RuntimeException {
    QuotaExceeded() {
      super("quota", null, false, false);
    }
  }

  private void multipart(HttpExchange ex) throws IOException {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    Matcher bm = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(ct == null ? "" : ct);
    if (!bm.find()) {
      throw new BadRequest("multipart upload without boundary");
    }
    byte[] body = body(ex);
    byte[] delimiter = ("--" + bm.group(1)).getBytes(StandardCharsets.US_ASCII);
    List<byte[]> parts = new ArrayList<>();
    int pos = indexOf(body, delimiter, 0);
    while (pos >= 0) {
      int start = pos + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        throw new BadRequest("multipart body not terminated");
      }
      int from = start + 2; // CRLF after the delimiter
      int to = next - 2; // CRLF before the next delimiter
      parts.add(java.util.Arrays.copyOfRange(body, from, to));
      pos = next;
    }
    if (parts.size() != 2) {
      throw new BadRequest("multipart upload needs 2 parts, got " + parts.size());
    }
    ObjectNode meta = (ObjectNode) JSON.readTree(partBody(parts.get(0)));
    Path tmp = Files.createTempFile(storage, "mp-", ".part");
    Files.write(tmp, partBody(parts.get(1)));
    try {
      json(ex, 200, fileJson(create(meta, tmp)));
    } catch (QuotaExceeded e) {
      quotaError(ex);
    }
  }

  private static byte[] partBody(byte[] part) {
    int sep = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (sep < 0) {
      throw new BadRequest("multipart part without headers");
    }
    return java.util.Arrays.copyOfRange(part, sep + 4, part.length);
  }

  private void startResumable(HttpExchange ex) throws IOException {
    byte[] body = body(ex);
    ObjectNode meta = body.length == 0 ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
    String id = "up-" + UUID.randomUUID();
    Session s = new Session(meta, storage.resolve(id + ".part"));
    String len = ex.getRequestHeaders().getFirst("X-Upload-Content-Length");
    if (len != null) {
      s.total = Long.parseLong(len);
    }
    Files.write(s.part, new byte[0]);
    sessions.put(id, s);
    ex.getResponseHeaders().set("Location", rootUrl() + "upload/drive/v3/files?uploadType=resumable&upload_id=" + id);
    ex.sendResponseHeaders(200, -1);
  }

  private void continueResumable(HttpExchange ex, String uploadId) throws IOException {
    Session s = sessions.get(uploadId);
    if (s == null) {
      error(ex, 404, "notFound", "upload session not found");
      return;
    }
    putsInFlight.incrementAndGet();
    try {
      synchronized (s) {
        String range = ex.getRequestHeaders().getFirst("Content-Range");
        long before = s.received;
        try {
          session(ex, uploadId, s, range);
        } finally {
          sessionPuts.add(new SessionPut(uploadId, range, before, s.received));
        }
      }
    } finally {
      putsInFlight.decrementAndGet();
    }
  }

  /** One PUT on an upload session: a status query or a chunk (the caller holds the session's lock). */
  private void session(HttpExchange ex, String uploadId, Session s, String range) throws IOException {
    Matcher status = Pattern.compile("bytes \\*/(\\d+|\\*)").matcher(range == null ? "" : range);
    Matcher chunk = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)").matcher(range == null ? "" : range);
    if (status.matches()) {
      if (!status.group(1).equals("*")) {
        s.total = Long.parseLong(status.group(1));
      }
      drain(ex);
    } else if (chunk.matches()) {
      long first = Long.parseLong(chunk.group(1));
      long last = Long.parseLong(chunk.group(2));
      if (!chunk.group(3).equals("*")) {
        s.total = Long.parseLong(chunk.group(3));
      }
      if (first > s.received) {
        throw new BadRequest("chunk starts at " + first + " but only " + s.received + " bytes were received");
      }
      long skip = s.received - first;
      try (InputStream in = bodyStream(ex);
          OutputStream out = Files.newOutputStream(s.part, StandardOpenOption.APPEND)) {
        in.skipNBytes(Math.min(skip, last - first + 1));
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
          out.write(buf, 0, n);
          s.received += n;
          throttle(n);
        }
      }
    } else if (range == null && s.total >= 0) {
      throw new BadRequest("PUT without Content-Range");
    } else {
      throw new BadRequest("bad Content-Range: " + range);
    }
    if (s.total >= 0 && s.received >= s.total) {
      sessions.remove(uploadId);
      try {
        FakeFile f = create(s.metadata, s.part);
        json(ex, 200, fileJson(f));
      } catch (QuotaExceeded e) {
        quotaError(ex);
      }
      return;
    }
    if (s.received > 0) {
      ex.getResponseHeaders().set("Range", "bytes=0-" + (s.received - 1));
    }
    ex.sendResponseHeaders(308, -1);
  }

  /**
   * files.get with {@code alt=media}: the whole content (200), or one byte range ({@code Range:
   * bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) as 206 with Content-Range, or 416 when it starts
   * past the end. Streams from disk.
   */
  private void media(HttpExchange ex, FakeFile f) throws IOException {
    mediaReads.incrementAndGet();
    long size = f.size();
    long first = 0;
    long last = size - 1;
    boolean partial = false;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null) {
      rangeRequests.add(range);
      Matcher m = MEDIA_RANGE.matcher(range.strip());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        if (m.group(1).isEmpty()) {
          first = Math.max(0, size - Long.parseLong(m.group(2)));
        } else {
          first = Long.parseLong(m.group(1));
          if (!m.group(2).isEmpty()) {
            last = Math.min(last, Long.parseLong(m.group(2)));
          }
        }
        if (first >= size || first > last) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
          error(ex, 416, "requestedRangeNotSatisfiable", "Request range not satisfiable");
          return;
        }
        partial = true;
      }
    }
    long length = last - first + 1;
    ex.getResponseHeaders().set("Content-Type", f.mimeType());
    if (partial) {
      ex.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
    }
    ex.sendResponseHeaders(partial ? 206 : 200, length <= 0 ? -1 : length);
    if (length <= 0) {
      return;
    }
    try (InputStream in = Files.newInputStream(f.content()); OutputStream out = ex.getResponseBody()) {
      in.skipNBytes(first);
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

  /** Every PUT on a resumable upload session, in order. */
  public List<SessionPut> sessionPuts() {
    synchronized (sessionPuts) {
      return List.copyOf(sessionPuts);
    }
  }

  /** Upload-session PUTs being received right now (e.g. one whose client was just killed). */
  public int sessionPutsInFlight() {
    return putsInFlight.get();
  }

  /** Bytes committed so far by each resumable upload that has not completed, by upload id. */
  public Map<String, Long> openUploads() {
    Map<String, Long> m = new LinkedHashMap<>();
    sessions.forEach((id, s) -> m.put(id, s.received));
    return m;
  }

  /** How many files.get alt=media requests were served. */
  public int mediaReads() {
    return mediaReads.get();
  }

  /** The Range headers of files.get alt=media requests, in order. */
  public List<String> mediaRanges() {
    synchronized (rangeRequests) {
      return List.copyOf(rangeRequests);
    }
  }

  // ---------------------------------------------------------------- helpers

  private void quotaError(HttpExchange ex) throws IOException {
    error(ex, 403, "storageQuotaExceeded", "The user's Drive storage quota has been exceeded.");
  }

  private ObjectNode fileJson(FakeFile f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "drive#file");
    n.put("id", f.id());
    n.put("name", f.name());
    n.put("mimeType", f.mimeType());
    ArrayNode parents = n.putArray("parents");
    f.parents().forEach(parents::add);
    if (!f.appProperties().isEmpty()) {
      ObjectNode props = n.putObject("appProperties");
      f.appProperties().forEach(props::put);
    }
    if (!f.isFolder()) {
      n.put("size", Long.toString(f.size()));
      if (f.md5Checksum() != null) {
        n.put("md5Checksum", f.md5Checksum());
      }
    }
    n.put("createdTime", f.createdTime().toString());
    n.put("modifiedTime", f.createdTime().toString());
    return n;
  }

  private void error(HttpExchange ex, int code, String reason, String message) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode err = n.putObject("error");
    err.put("code", code);
    err.put("message", message);
    ObjectNode e = err.putArray("errors").addObject();
    e.put("domain", code == 403 || code == 429 ? "usageLimits" : "global");
    e.put("reason", reason);
    e.put("message", message);
    drain(ex);
    json(ex, code, n);
  }

  private static void drain(HttpExchange ex) {
    try {
      ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // nothing more to read
    }
  }

  private static void json(HttpExchange ex, int code, JsonNode body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private InputStream bodyStream(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
    return enc != null && enc.equalsIgnoreCase("gzip") ? new GZIPInputStream(in) : in;
  }

  private byte[] body(HttpExchange ex) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = bodyStream(ex)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
        throttle(n);
      }
    }
    return out.toByteArray();
  }

  private void throttle(int n) {
    long bps = bytesPerSecond;
    if (bps > 0) {
      try {
        Thread.sleep(Math.max(1, n * 1000L / bps));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String newId() {
    return "1" + UUID.randomUUID().toString().replace("-", "").substring(0, 27);
  }

  private static String md5(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) != -1) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
