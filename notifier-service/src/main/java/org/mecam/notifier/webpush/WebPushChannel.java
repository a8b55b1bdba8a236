package org.mecam.notifier.webpush;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.PushJob;
import org.mecam.notifier.domain.PushOutcome;
import org.mecam.notifier.service.PushChannel;
import org.mecam.notifier.service.PushContent;

/**
 * Sends Web Push messages (RFC 8030): encrypted per subscription, VAPID-authorised with a token
 * cached per push-service origin, TTL/Urgency/Topic headers set. 201 means sent; 404/410 mean the
 * subscription is gone; 413 is retried once with a smaller payload; 429/5xx are retried after
 * Retry-After or backoff for that endpoint only.
 */
@ApplicationScoped
public class WebPushChannel implements PushChannel {
  private final VapidTokens vapid;
  private final PushContent content;
  private final NotifierConfig.WebPush config;
  private final Clock clock;
  private final WebPushEncryptor encryptor = new WebPushEncryptor();
  private final ExecutorService workers;
  private final HttpClient http;

  public WebPushChannel(VapidTokens vapid, PushContent content, NotifierConfig config, Clock clock) {
    this.vapid = vapid;
    this.content = content;
    this.config = config.webpush();
    this.clock = clock;
    // One worker per request in flight: each encrypts its push and waits for the push service's answer.
    this.workers = Executors.newFixedThreadPool(Math.max(1, this.config.maxInFlight()), r -> {
      Thread t = new Thread(r, "webpush");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public Channel channel() {
    return Channel.WEBPUSH;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void send(List<PushJob> jobs, Consumer<PushOutcome> done) {
    // A fan-out sends the same notice to many devices: serialise its JSON once, not per device.
    Map<String, byte[]> payloads = new HashMap<>();
    for (PushJob job : jobs) {
      byte[] payload = payloads.computeIfAbsent(job.notice().id() + "\n" + job.imageUrl(), k -> content.webPush(job));
      workers.execute(() -> {
        PushOutcome o;
        try {
          o = attempt(job, payload, false);
        } catch (RuntimeException e) {
          o = PushOutcome.retry(job, null, e.toString());
        }
        done.accept(o);
      });
    }
  }

  /**
   * Encrypts and sends one push, blocking this worker until the answer. Blocking on purpose: the JDK
   * client's {@code sendAsync} completes its future through CompletableFuture's default executor,
   * which on a machine with fewer than three cores is a new thread per task — profiling the fan-out
   * found one thread created per push.
   */
  private PushOutcome attempt(PushJob job, byte[] payload, boolean small) {
    HttpRequest request;
    try {
      request = request(job, payload);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return PushOutcome.failed(job, "cannot encrypt: " + e.getMessage());
    }
    HttpResponse<Void> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      return PushOutcome.retry(job, null, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PushOutcome.retry(job, null, "interrupted");
    }
    if (r.statusCode() == 413 && !small) {
      Log.infof("push service refused %d bytes for notification %s; sending a smaller payload",
          payload.length, job.notice().id());
      return attempt(job, content.webPushSmall(job), true);
    }
    return outcome(job, r);
  }

  private HttpRequest request(PushJob job, byte[] payload) throws GeneralSecurityException {
    var d = job.device();
    WebPushEncryptor.Prepared prepared = encryptor.encrypt(d.p256dh(), d.auth(), payload,
        (int) config.ttl().toSeconds(), job.notice().urgency(), topic(job.notice().tag()));
    URI uri = URI.create(d.address());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(prepared.body()));
    if ("http".equals(uri.getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    prepared.headers().forEach(b::header);
    b.header("Authorization", vapid.authorization(d.address()));
    return b.build();
  }

  private PushOutcome outcome(PushJob job, HttpResponse<?> r) {
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return PushOutcome.sent(job);
    }
    if (s == 404 || s == 410) {
      return PushOutcome.gone(job, "push service answered " + s);
    }
    if (s == 429 || s >= 500) {
      return PushOutcome.retry(job, RetryAfter.parse(r.headers().firstValue("Retry-After").orElse(null), clock.instant()),
          "push service answered " + s);
    }
    return PushOutcome.failed(job, "push service answered " + s);
  }

  /** RFC 8030 Topic: at most 32 characters of the base64url alphabet. */
  static String topic(String tag) {
    if (tag == null) {
      return null;
    }
    String t = tag.replaceAll("[^A-Za-z0-9_-]", "_");
    return t.length() <= 32 ? t : t.substring(0, 32);
  }

  private static String describe(Throwable e) {
    Throwable c = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
    return c instanceof IOException ? "network: " + c.getClass().getSimpleName() + " " + c.getMessage() : c.toString();
  }

  void stop(@Observes ShutdownEvent event) {
    workers.shutdownNow();
  }
}
