package org.mecam.testkit.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An FCM HTTP v1 peer on 127.0.0.1, reached through firebase-admin's own transport: an OAuth token
 * endpoint that checks the service account's signed JWT (RS256), {@code messages:send} that checks
 * the bearer token and records each message, the registrations/topicSubscriptions endpoints, and
 * FCM-shaped errors ({@code error.status} plus an {@code FcmError} detail) on demand.
 */
public final class LoopbackFcmService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEND = Pattern.compile("/v1/projects/([^/]+)/messages:send");
  private static final Pattern TOPIC = Pattern.compile(
      "/v1/projects/([^/]+)/registrations/([^/]+)/topicSubscriptions(?:/([^/?]+))?");

  private final HttpServer server;
  private final ExecutorService executor;
  private final String origin;
  private final KeyPair serviceAccountKey;
  private final String clientEmail = "mecam-test@mecam-test.iam.gserviceaccount.com";
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, FcmFailure> always = new ConcurrentHashMap<>();
  private final Map<String, Deque<Object[]>> once = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> topics = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Consumer<Received>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private volatile boolean record = true;

  /** One send request: token or topic, the message JSON, when, and the status answered. */
  public record Received(String project, String token, String topic, JsonNode message, Instant at, long nanoTime,
      int status, String error) {}

  private LoopbackFcmService(int threads) throws IOException, GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    serviceAccountKey = g.generateKeyPair();
    // Answer without Nagle, as a real push front end does: the JDK server writes a response's head and
    // body separately, and without TCP_NODELAY the body waited for the client's delayed ACK (~40 ms per
    // request, which capped the notifier benchmark). Read once per JVM, when the first server starts.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "loopback-fcm");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    origin = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public static LoopbackFcmService start() {
    return start(8);
  }

  public static LoopbackFcmService start(int threads) {
    try {
      return new LoopbackFcmService(threads);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot start loopback FCM service", e);
    }
  }

  /** The base URL to use instead of https://fcm.googleapis.com. */
  public String apiUrl() {
    return origin;
  }

  /** Writes a service-account JSON whose token endpoint is this peer; returns its path (mode 0600). */
  public Path writeServiceAccount(Path dir, String projectId) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("fcm-service-account.json");
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(serviceAccountKey.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      ObjectNode json = JSON.createObjectNode();
      json.put("type", "service_account");
      json.put("project_id", projectId);
      json.put("private_key_id", "loopback-key-1");
      json.put("private_key", pem);
      json.put("client_email", clientEmail);
      json.put("client_id", "100000000000000000001");
      json.put("auth_uri", origin + "/auth");
      json.put("token_uri", origin + "/token");
      Files.writeString(file, JSON.writeValueAsString(json), StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not POSIX
      }
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every send to {@code token} fails with {@code failure}. */
  public void failAlways(String token, FcmFailure failure) {
    always.put(token, failure);
  }

  /** The next send to {@code token} fails with {@code failure} (and Retry-After if not null). */
  public void failOnce(String token, FcmFailure failure, String retryAfter) {
    once.computeIfAbsent(token, k -> new ConcurrentLinkedDeque<>()).add(new Object[] {failure, retryAfter});
  }

  public void recordMessages(boolean on) {
    this.record = on;
  }

  public void onSend(Consumer<Received> listener) {
    listeners.add(listener);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> received(String token) {
    List<Received> out = new ArrayList<>();
    for (Received r : received) {
      if (token.equals(r.token())) {
        out.add(r);
      }
    }
    return out;
  }

  public int acceptedCount() {
    return accepted.get();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** Tokens subscribed to a topic. */
  public Set<String> topicMembers(String topic) {
    return Set.copyOf(topics.getOrDefault(topic, Set.of()));
  }

  private void handle(HttpExchange ex) throws IOException {
    long nano = System.nanoTime();
    Instant at = Instant.now();
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals("/token")) {
        token(ex, new String(body, StandardCharsets.UTF_8));
        return;
      }
      if (!authorized(ex)) {
        reply(ex, 401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\","
            + "\"status\":\"UNAUTHENTICATED\"}}", null);
        return;
      }
      Matcher send = SEND.matcher(path);
      if (send.matches() && ex.getRequestMethod().equals("POST")) {
        send(ex, send.group(1), body, at, nano);
        return;
      }
      Matcher topic = TOPIC.matcher(path);
      if (topic.matches()) {
        String token = topic.group(2);
        if (ex.getRequestMethod().equals("POST")) {
          String name = query(ex, "topic_name");
          topics.computeIfAbsent(strip(name), k -> ConcurrentHashMap.newKeySet()).add(token);
        } else if (ex.getRequestMethod().equals("DELETE") && topic.group(3) != null) {
          topics.getOrDefault(strip(topic.group(3)), ConcurrentHashMap.newKeySet()).remove(token);
        }
        reply(ex, 200, "{}", null);
        return;
      }
      reply(ex, 404, FcmFailure.UNREGISTERED.body().replace("UNREGISTERED", "UNSPECIFIED_ERROR"), null);
    } catch (RuntimeException e) {
      ex.sendResponseHeaders(500, -1);
    }
  }

  private static String strip(String topic) {
    if (topic == null) {
      return "";
    }
    String t = URLDecoder.decode(topic, StandardCharsets.UTF_8);
    return t.startsWith("/topics/") ? t.substring("/topics/".length()) : t;
  }

  private static String query(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int i = kv.indexOf('=');
      if (i > 0 && kv.substring(0, i).equals(name)) {
        return URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private boolean authorized(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") && issuedTokens.contains(auth.substring(7));
  }

  private void token(HttpExchange ex, String form) throws IOException {
    tokenRequests.incrementAndGet();
    Map<String, String> params = new HashMap<>();
    for (String kv : form.split("&")) {
      int i = kv.indexOf('=');
      if (i > 0) {
        params.put(kv.substring(0, i), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
      }
    }
    String assertion = params.get("assertion");
    String problem = null;
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(params.get("grant_type")) || assertion == null) {
      problem = "unsupported grant";
    } else {
      problem = checkAssertion(assertion);
    }
    if (problem != null) {
      reply(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}", null);
      return;
    }
    String token = "ya29.loopback-" + UUID.randomUUID();
    issuedTokens.add(token);
    reply(ex, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}", null);
  }

  private String checkAssertion(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return "assertion is not a JWS";
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(serviceAccountKey.getPublic());
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return "bad signature";
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (!clientEmail.equals(claims.path("iss").asText())) {
        return "wrong iss";
      }
      if (claims.path("exp").asLong() < Instant.now().getEpochSecond()) {
        return "assertion expired";
      }
      return null;
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      return "unreadable assertion";
    }
  }

  private void send(HttpExchange ex, String project, byte[] body, Instant at, long nano) throws IOException {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      reply(ex, 400, "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload\",\"status\":\"INVALID_ARGUMENT\"}}",
          null);
      return;
    }
    JsonNode message = request.path("message");
    String token = message.hasNonNull("token") ? message.get("token").asText() : null;
    String topic = message.hasNonNull("topic") ? message.get("topic").asText() : null;
    FcmFailure failure = token == null ? null : always.get(token);
    String retryAfter = null;
    Deque<Object[]> q = token == null ? null : once.get(token);
    Object[] next = q == null ? null : q.poll();
    if (next != null) {
      failure = (FcmFailure) next[0];
      retryAfter = (String) next[1];
    }
    if (failure == null && token == null && topic == null) {
      failure = FcmFailure.INVALID_ARGUMENT;
    }
    int status = failure == null ? 200 : failure.httpStatus;
    Received r = new Received(project, token, topic, message, at, nano, status, failure == null ? null : failure.name());
    if (record) {
      received.add(r);
    }
    for (Consumer<Received> l : listeners) {
      l.accept(r);
    }
    if (failure != null) {
      reply(ex, status, failure.body(), retryAfter);
      return;
    }
    accepted.incrementAndGet();
    reply(ex, 200, "{\"name\":\"projects/" + project + "/messages/" + nano + "\"}", null);
  }

  private static void reply(HttpExchange ex, int status, String json, String retryAfter) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    if (retryAfter != null) {
      ex.getResponseHeaders().add("Retry-After", retryAfter);
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
