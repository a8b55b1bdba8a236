package org.mecam.testkit.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Web Push service on 127.0.0.1 for tests and benchmarks, speaking RFC 8030 like the real ones:
 * it creates subscriptions (endpoint, p256dh, auth — it holds the user agent's private key), checks
 * each request's VAPID header, decrypts the {@code aes128gcm} body, answers 201, and on demand answers
 * 404, 410, 413, 429 (with Retry-After) or 5xx. Every request is recorded with its arrival time.
 * Written from the RFCs with JDK crypto, independently of the web-push library the notifier uses.
 */
public final class LoopbackPushService implements AutoCloseable {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Pattern TTL = Pattern.compile("\\d+");
  private static final Pattern URGENCY = Pattern.compile("very-low|low|normal|high");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final HttpServer server;
  private final ExecutorService executor;
  private final String origin;
  private final VapidVerifier verifier = new VapidVerifier();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, Deque<Scripted>> scripted = new ConcurrentHashMap<>();
  private final Map<String, Integer> always = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxBody = new ConcurrentHashMap<>();
  private final List<Push> received = new CopyOnWriteArrayList<>();
  private final List<Consumer<Push>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger decrypted = new AtomicInteger();
  private volatile boolean record = true;
  private volatile int decryptOneIn = 1;
  private volatile String expectedKey;

  /** A subscription as the browser would hand it to the application. */
  public record Subscription(String id, String endpoint, String p256dh, String auth, ECPrivateKey privateKey,
      ECPublicKey publicKey, byte[] authBytes) {}

  /**
   * One request as received: when (wall clock and {@link System#nanoTime()}), the status answered,
   * the headers, the VAPID claims (null if invalid), the decrypted text (null unless accepted), and
   * the reason it was refused (null if not).
   */
  public record Push(String subscriptionId, Instant at, long nanoTime, int status, Map<String, String> headers,
      VapidVerifier.Claims claims, String plaintext, int bodyBytes, String refusal) {}

  private record Scripted(int status, String retryAfter) {}

  private LoopbackPushService(int threads) throws IOException {
    this(InetAddress.getLoopbackAddress(), null, threads);
  }

  private LoopbackPushService(InetAddress bind, String advertisedHost, int threads) throws IOException {
    // Answer without Nagle, as a real push front end does: the JDK server writes a response's head and
    // body separately, and without TCP_NODELAY the body waited for the client's delayed ACK (~40 ms per
    // request, which capped the notifier benchmark). Read once per JVM, when the first server starts.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(bind, 0), 256);
    executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "loopback-push");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/push/", this::handle);
    server.start();
    origin = "http://" + (advertisedHost != null ? advertisedHost : "127.0.0.1") + ":" + server.getAddress().getPort();
  }

  /** Starts on a free loopback port with 4 request threads. */
  public static LoopbackPushService start() {
    return start(4);
  }

  public static LoopbackPushService start(int threads) {
    try {
      return new LoopbackPushService(threads);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start loopback push service", e);
    }
  }

  /**
   * Starts on a free port of {@code bind} (e.g. a Docker bridge's gateway address, so containers reach
   * it as {@code advertisedHost} through {@code host-gateway}); endpoints and the VAPID audience then
   * name {@code http://<advertisedHost>:<port>}.
   */
  public static LoopbackPushService start(InetAddress bind, String advertisedHost, int threads) {
    try {
      return new LoopbackPushService(bind, advertisedHost, threads);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start push service on " + bind, e);
    }
  }

  /** {@code http://127.0.0.1:<port>}: the origin a VAPID {@code aud} must name. */
  public String origin() {
    return origin;
  }

  /** Creates a subscription with a fresh P-256 key pair and 16-byte auth secret. */
  public Subscription newSubscription() {
    try {
      KeyPair pair = Keys.generate();
      byte[] auth = new byte[16];
      random.nextBytes(auth);
      byte[] idBytes = new byte[12];
      random.nextBytes(idBytes);
      String id = B64.encodeToString(idBytes);
      Subscription s = new Subscription(id, origin + "/push/" + id,
          B64.encodeToString(Keys.uncompressed((ECPublicKey) pair.getPublic())), B64.encodeToString(auth),
          (ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(), auth);
      subscriptions.put(id, s);
      return s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers the next request for {@code s} with {@code status} (and Retry-After if not null), once. */
  public void respondOnce(Subscription s, int status, String retryAfter) {
    scripted.computeIfAbsent(s.id(), k -> new ConcurrentLinkedDeque<>()).add(new Scripted(status, retryAfter));
  }

  /** Answers every request for {@code s} with {@code status} (e.g. 410 for an expired subscription). */
  public void respondAlways(Subscription s, int status) {
    always.put(s.id(), status);
  }

  /** Answers 413 to bodies for {@code s} longer than {@code bytes}. */
  public void limitBody(Subscription s, int bytes) {
    maxBody.put(s.id(), bytes);
  }

  /** Refuses (401) VAPID headers whose {@code k} is not this key (base64url). */
  public void expectApplicationServerKey(String key) {
    this.expectedKey = key;
  }

  /**
   * Decrypts only every {@code n}-th accepted request (default 1: all); the others are still checked for
   * VAPID and headers and answered 201, with a null plaintext. For benchmarks, so the peer's own ECDH
   * does not compete with the service for the same CPU.
   */
  public void decryptOneIn(int n) {
    this.decryptOneIn = Math.max(1, n);
  }

  /** Keeps only counters and listeners, not the list of pushes (for long benchmarks). */
  public void recordPushes(boolean on) {
    this.record = on;
  }

  public void onPush(Consumer<Push> listener) {
    listeners.add(listener);
  }

  public List<Push> received() {
    return List.copyOf(received);
  }

  public List<Push> received(Subscription s) {
    List<Push> out = new ArrayList<>();
    for (Push p : received) {
      if (p.subscriptionId().equals(s.id())) {
        out.add(p);
      }
    }
    return out;
  }

  /** Requests whose body was decrypted (all of them unless {@link #decryptOneIn} was set), successfully. */
  public int decryptedCount() {
    return decrypted.get();
  }

  /** Requests answered 201. */
  public int acceptedCount() {
    return accepted.get();
  }

  public void clear() {
    received.clear();
    accepted.set(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    long nano = System.nanoTime();
    Instant at = Instant.now();
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String id = ex.getRequestURI().getPath().substring("/push/".length());
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      Subscription s = subscriptions.get(id);
      if (s == null || !"POST".equals(ex.getRequestMethod())) {
        answer(ex, 404, null, new Push(id, at, nano, 404, headers, null, null, body.length, "no such subscription"));
        return;
      }
      VapidVerifier.Claims claims;
      try {
        claims = verifier.verify(headers.get("Authorization"), origin, Instant.now());
        if (expectedKey != null && !expectedKey.equals(claims.key())) {
          throw new VapidVerifier.Invalid("k is not the expected application server key");
        }
      } catch (VapidVerifier.Invalid e) {
        answer(ex, 401, null, new Push(id, at, nano, 401, headers, null, null, body.length, e.getMessage()));
        return;
      }
      Integer fixed = always.get(id);
      Deque<Scripted> queue = scripted.get(id);
      Scripted next = queue == null ? null : queue.poll();
      if (fixed != null || next != null) {
        int status = next != null ? next.status() : fixed;
        String retryAfter = next != null ? next.retryAfter() : null;
        answer(ex, status, retryAfter, new Push(id, at, nano, status, headers, claims, null, body.length,
            "answered " + status + " on demand"));
        return;
      }
      Integer limit = maxBody.get(id);
      if (limit != null && body.length > limit) {
        answer(ex, 413, null, new Push(id, at, nano, 413, headers, claims, null, body.length, "payload too large"));
        return;
      }
      String refusal = checkHeaders(headers);
      if (refusal != null) {
        answer(ex, 400, null, new Push(id, at, nano, 400, headers, claims, null, body.length, refusal));
        return;
      }
      String text = null;
      try {
        if (requests.incrementAndGet() % decryptOneIn == 0) {
          text = new String(Aes128GcmDecryptor.decrypt(body, s.privateKey(), s.publicKey(), s.authBytes()),
              StandardCharsets.UTF_8);
          decrypted.incrementAndGet();
        }
      } catch (GeneralSecurityException e) {
        answer(ex, 400, null, new Push(id, at, nano, 400, headers, claims, null, body.length,
            "cannot decrypt: " + e.getMessage()));
        return;
      }
      accepted.incrementAndGet();
      answer(ex, 201, null, new Push(id, at, nano, 201, headers, claims, text, body.length, null));
    } catch (RuntimeException e) {
      ex.sendResponseHeaders(500, -1);
    }
  }

  private static String checkHeaders(Map<String, String> h) {
    if (!"aes128gcm".equals(h.get("Content-Encoding"))) {
      return "Content-Encoding must be aes128gcm";
    }
    String ttl = h.get("TTL");
    if (ttl == null || !TTL.matcher(ttl).matches()) {
      return "TTL header missing";
    }
    String urgency = h.get("Urgency");
    if (urgency != null && !URGENCY.matcher(urgency).matches()) {
      return "bad Urgency";
    }
    String topic = h.get("Topic");
    if (topic != null && !TOPIC.matcher(topic).matches()) {
      return "bad Topic";
    }
    return null;
  }

  private void answer(HttpExchange ex, int status, String retryAfter, Push push) throws IOException {
    if (record) {
      received.add(push);
    }
    for (Consumer<Push> l : listeners) {
      l.accept(push);
    }
    if (retryAfter != null) {
      ex.getResponseHeaders().add("Retry-After", retryAfter);
    }
    if (status == 201) {
      ex.getResponseHeaders().add("Location", origin + "/message/" + push.nanoTime());
    }
    ex.sendResponseHeaders(status, -1);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
