package org.mecam.notifier.webhook;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.PushJob;
import org.mecam.notifier.domain.PushOutcome;
import org.mecam.notifier.service.PushChannel;
import org.mecam.notifier.service.PushContent;
import org.mecam.notifier.webpush.RetryAfter;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;

/**
 * Posts each notification as JSON (the push payload) to a user's webhook URL, signed with
 * HMAC-SHA256 over {@code <timestamp>.<body>} in {@code X-Mecam-Signature}; 2xx means delivered,
 * 429/5xx and network errors are retried by the dispatcher (Retry-After or backoff), 410 removes the
 * webhook, any other answer fails the delivery.
 */
@ApplicationScoped
public class WebhookChannel implements PushChannel {
  /** {@code sha256=<hex HMAC-SHA256(key, timestamp + "." + body)>}. */
  public static final String SIGNATURE = "X-Mecam-Signature";
  /** Unix time in seconds when the request was signed (receivers should refuse old ones). */
  public static final String TIMESTAMP = "X-Mecam-Timestamp";
  /** The delivery id: the same on every retry of one delivery, so a receiver can drop duplicates. */
  public static final String DELIVERY = "X-Mecam-Delivery";

  private final byte[] key;
  private final PushContent content;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;
  private final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "webhook");
    t.setDaemon(true);
    return t;
  });

  public WebhookChannel(NotifierConfig config, ServiceConfig service, PushContent content, Clock clock) {
    Path file = config.webhook().secretFile().orElse(service.dataDir().resolve("webhook.key"));
    this.key = SecretFiles.readOrCreateRandom(file, "webhook signing key", 32).getBytes(StandardCharsets.UTF_8);
    if (key.length < 32) {
      throw new IllegalStateException("webhook signing key in " + file + " is shorter than 32 characters");
    }
    this.content = content;
    this.clock = clock;
    this.timeout = config.webhook().requestTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public Channel channel() {
    return Channel.WEBHOOK;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void send(List<PushJob> jobs, Consumer<PushOutcome> done) {
    for (PushJob job : jobs) {
      byte[] body = content.webPush(job);
      long timestamp = clock.instant().getEpochSecond();
      HttpRequest request;
      try {
        request = HttpRequest.newBuilder(URI.create(job.delivery().address())).timeout(timeout)
            .header("Content-Type", "application/json")
            .header(TIMESTAMP, Long.toString(timestamp))
            .header(SIGNATURE, signature(key, timestamp, body))
            .header(DELIVERY, Long.toString(job.delivery().id()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      } catch (IllegalArgumentException e) {
        done.accept(PushOutcome.failed(job, "bad webhook URL: " + e.getMessage()));
        continue;
      }
      workers.execute(() -> done.accept(post(job, request)));
    }
  }

  /** Blocking, on a worker: the JDK client's sendAsync would complete on a new thread per request on small machines. */
  private PushOutcome post(PushJob job, HttpRequest request) {
    try {
      return outcome(job, http.send(request, HttpResponse.BodyHandlers.discarding()));
    } catch (IOException e) {
      return PushOutcome.retry(job, null, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PushOutcome.retry(job, null, "interrupted");
    } catch (RuntimeException e) {
      return PushOutcome.retry(job, null, e.toString());
    }
  }

  private PushOutcome outcome(PushJob job, HttpResponse<?> r) {
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return PushOutcome.sent(job);
    }
    if (s == 410) {
      return PushOutcome.gone(job, "webhook answered 410");
    }
    if (s == 429 || s >= 500) {
      return PushOutcome.retry(job, RetryAfter.parse(r.headers().firstValue("Retry-After").orElse(null),
          clock.instant()), "webhook answered " + s);
    }
    Log.debugf("webhook delivery %d answered %d", job.delivery().id(), s);
    return PushOutcome.failed(job, "webhook answered " + s);
  }

  /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code timestamp + "." + body} (the receiver's check). */
  public static String signature(byte[] key, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(IOException e) {
    return "network: " + e.getClass().getSimpleName() + " " + e.getMessage();
  }

  void stop(@Observes ShutdownEvent event) {
    workers.shutdownNow();
  }
}
