package org.mecam.bench.notifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import nl.martijndwars.webpush.Encoding;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.mecam.testkit.push.LoopbackPushService;

/**
 * The web push baseline: the same encryption library and JDK HTTP client, with one VAPID token, sent
 * straight from memory — no broker, no database, no outbox. What the service is measured against.
 */
final class BareWebPush {
  private BareWebPush() {}

  static double pushesPerSecond(LoopbackPushService push, List<LoopbackPushService.Subscription> subs, int rounds)
      throws Exception {
    if (Security.getProvider("BC") == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair vapid = g.generateKeyPair();
    String auth = vapidHeader(vapid, push.origin());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Semaphore inFlight = new Semaphore(64);
    byte[] payload = "{\"title\":\"Motion on bench\",\"body\":\"baseline\",\"tag\":\"motion-bench\"}"
        .getBytes(StandardCharsets.UTF_8);
    int before = push.acceptedCount();
    long start = System.nanoTime();
    int total = subs.size() * rounds;
    CompletableFuture<?>[] all = new CompletableFuture<?>[total];
    int i = 0;
    for (int r = 0; r < rounds; r++) {
      for (LoopbackPushService.Subscription s : subs) {
        int index = i++;
        CompletableFuture<Void> f = new CompletableFuture<>();
        all[index] = f;
        pool.execute(() -> {
          try {
            inFlight.acquire();
            byte[] body = encrypt(s, payload);
            HttpRequest req = HttpRequest.newBuilder(URI.create(s.endpoint()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("TTL", "3600").header("Content-Encoding", "aes128gcm").header("Authorization", auth).build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, ex) -> {
              inFlight.release();
              f.complete(null);
            });
          } catch (Exception ex) {
            inFlight.release();
            f.completeExceptionally(ex);
          }
        });
      }
    }
    CompletableFuture.allOf(all).join();
    double secs = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    int accepted = push.acceptedCount() - before;
    if (accepted != total) {
      throw new IllegalStateException("baseline: " + accepted + " of " + total + " accepted");
    }
    return total / secs;
  }

  /** The library's RFC 8291 encryption on BouncyCastle's optimised P-256 curve (as the notifier does). */
  private static byte[] encrypt(LoopbackPushService.Subscription s, byte[] payload) throws Exception {
    org.bouncycastle.jce.spec.ECNamedCurveParameterSpec p256 =
        org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair local = g.generateKeyPair();
    org.bouncycastle.jce.interfaces.ECPublicKey ua = (org.bouncycastle.jce.interfaces.ECPublicKey)
        java.security.KeyFactory.getInstance("EC", "BC").generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(
            p256.getCurve().decodePoint(Base64.getUrlDecoder().decode(s.p256dh())), p256));
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    return new nl.martijndwars.webpush.HttpEce(java.util.Map.of("k", local), java.util.Map.of("k", "P-256"))
        .encrypt(payload, salt, null, "k", ua, Base64.getUrlDecoder().decode(s.auth()), Encoding.AES128GCM);
  }

  private static String vapidHeader(KeyPair vapid, String origin) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.US_ASCII));
    String claims = b64.encodeToString(("{\"aud\":\"" + origin + "\",\"exp\":"
        + (Instant.now().getEpochSecond() + 3600) + ",\"sub\":\"mailto:bench@mecam.invalid\"}")
        .getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(vapid.getPrivate());
    s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    ECPublicKey pub = (ECPublicKey) vapid.getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    byte[] x = pub.getW().getAffineX().toByteArray();
    byte[] y = pub.getW().getAffineY().toByteArray();
    System.arraycopy(x, Math.max(0, x.length - 32), point, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
    System.arraycopy(y, Math.max(0, y.length - 32), point, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
    return "vapid t=" + header + "." + claims + "." + b64.encodeToString(s.sign()) + ", k=" + b64.encodeToString(point);
  }
}
