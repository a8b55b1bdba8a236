package org.mecam.notifier.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.ApnsFcmOptions;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import com.google.firebase.messaging.SendResponse;
import com.google.firebase.messaging.WebpushConfig;
import com.google.firebase.messaging.WebpushFcmOptions;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.http.config.SocketConfig;
import org.apache.http.impl.client.HttpClientBuilder;
import org.mecam.events.Ids;
import org.mecam.notifier.config.NotifierConfig;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.Notice;
import org.mecam.notifier.domain.PushJob;
import org.mecam.notifier.domain.PushOutcome;
import org.mecam.notifier.service.PushChannel;
import org.mecam.notifier.service.PushContent;

/**
 * Sends to phones and browsers through Firebase Cloud Messaging (HTTP v1, Admin SDK {@code sendEach}
 * in batches of at most 500), with Android (high priority, channel, colour, icon, tag) and APNs
 * (badge, sound, category, collapse id) options, the snapshot as image and a data payload. Tokens
 * FCM calls UNREGISTERED or invalid are removed; quota and availability errors are retried later.
 */
@ApplicationScoped
public class FcmChannel implements PushChannel {
  /** FCM's limit for one sendEach call. */
  public static final int BATCH = 500;
  /** Every registered token is subscribed to this topic, so a broadcast can reach all at once. */
  public static final String ALL_TOPIC = "mecam-all";


  private final NotifierConfig.Fcm config;
  private final PushContent content;
  private final Clock clock;
  private final FirebaseApp app;
  private final FirebaseMessaging messaging;

  public FcmChannel(NotifierConfig config, PushContent content, Clock clock) {
    this.config = config.fcm();
    this.content = content;
    this.clock = clock;
    FirebaseApp created = null;
    if (this.config.credentialsFile().isPresent()) {
      try {
        created = start(this.config);
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("cannot start FCM from " + this.config.credentialsFile().get() + ": "
            + e.getMessage(), e);
      }
    } else {
      Log.info("FCM is off: mecam.notifier.fcm.credentials-file is not set");
    }
    this.app = created;
    this.messaging = created == null ? null : FirebaseMessaging.getInstance(created);
  }

  private static FirebaseApp start(NotifierConfig.Fcm config) throws IOException {
    // Apache HttpClient rather than the SDK's HttpURLConnection transport: the latter writes a request's
    // head and body in two writes without TCP_NODELAY, so each send waited ~40 ms for the peer's delayed
    // ACK and throughput needed 100 threads to hide it (docs/benchmarks.md, "Notifier").
    HttpClientBuilder client = ApacheHttpTransport.newDefaultHttpClientBuilder()
        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
        .setMaxConnTotal(config.threads()).setMaxConnPerRoute(config.threads());
    config.apiUrl().ifPresent(u -> client.setRoutePlanner(new LoopbackRoutePlanner(u)));
    HttpTransport transport = new ApacheHttpTransport(client.build());
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(config.credentialsFile().get())) {
      credentials = GoogleCredentials.fromStream(in, () -> transport)
          .createScoped("https://www.googleapis.com/auth/firebase.messaging");
    }
    FirebaseOptions.Builder options = FirebaseOptions.builder().setCredentials(credentials)
        .setHttpTransport(transport).setJsonFactory(GsonFactory.getDefaultInstance()).setConnectTimeout(5_000).setReadTimeout(10_000)
        .setThreadManager(new FcmThreads(config.threads()));
    config.projectId().ifPresent(options::setProjectId);
    FirebaseApp app = FirebaseApp.initializeApp(options.build(), "mecam-notifier-" + Ids.newId());
    Log.infof("FCM on (project %s)%s", config.projectId().orElse("from credentials"),
        config.apiUrl().map(u -> " via " + u).orElse(""));
    return app;
  }

  @Override
  public Channel channel() {
    return Channel.FCM;
  }

  @Override
  public boolean enabled() {
    return messaging != null;
  }

  @Override
  public void send(List<PushJob> jobs, Consumer<PushOutcome> done) {
    for (int from = 0; from < jobs.size(); from += BATCH) {
      List<PushJob> batch = jobs.subList(from, Math.min(jobs.size(), from + BATCH));
      List<Message> messages = new ArrayList<>(batch.size());
      for (PushJob job : batch) {
        messages.add(message(job));
      }
      ApiFuture<BatchResponse> future = messaging.sendEachAsync(messages);
      List<PushJob> mine = List.copyOf(batch);
      ApiFutures.addCallback(future, new ApiFutureCallback<>() {
        @Override
        public void onSuccess(BatchResponse result) {
          List<SendResponse> responses = result.getResponses();
          for (int i = 0; i < mine.size(); i++) {
            SendResponse r = responses.get(i);
            done.accept(r.isSuccessful() ? PushOutcome.sent(mine.get(i)) : outcome(mine.get(i), r.getException()));
          }
        }

        @Override
        public void onFailure(Throwable t) {
          for (PushJob job : mine) {
            done.accept(t instanceof FirebaseMessagingException f ? outcome(job, f)
                : PushOutcome.retry(job, null, "fcm: " + t));
          }
        }
      }, MoreExecutors.directExecutor());
    }
  }

  /** Maps an FCM error to what the dispatcher does with the token. */
  PushOutcome outcome(PushJob job, FirebaseMessagingException e) {
    MessagingErrorCode code = e.getMessagingErrorCode();
    String detail = "fcm " + (code != null ? code : e.getErrorCode()) + ": " + e.getMessage();
    if (code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.SENDER_ID_MISMATCH) {
      return PushOutcome.gone(job, detail);
    }
    if (code == MessagingErrorCode.INVALID_ARGUMENT && e.getMessage() != null
        && e.getMessage().toLowerCase().contains("registration token")) {
      return PushOutcome.gone(job, detail);
    }
    if (code == MessagingErrorCode.QUOTA_EXCEEDED || code == MessagingErrorCode.UNAVAILABLE
        || code == MessagingErrorCode.INTERNAL) {
      return PushOutcome.retry(job, retryAfter(e), detail);
    }
    return PushOutcome.failed(job, detail);
  }

  private Duration retryAfter(FirebaseMessagingException e) {
    IncomingHttpResponse r = e.getHttpResponse();
    if (r == null) {
      return null;
    }
    Object v = r.getHeaders().get("retry-after");
    if (v instanceof List<?> l && !l.isEmpty()) {
      v = l.get(0);
    }
    return v == null ? null : org.mecam.notifier.webpush.RetryAfter.parse(v.toString(), clock.instant());
  }

  private Message message(PushJob job) {
    Notice n = job.notice();
    boolean urgent = "high".equals(n.urgency());
    String image = job.imageUrl();
    Notification.Builder notification = Notification.builder().setTitle(n.title()).setBody(n.body());
    AndroidNotification.Builder android = AndroidNotification.builder().setChannelId(config.androidChannel())
        .setColor(config.androidColor()).setIcon(config.androidIcon()).setTag(n.tag()).setClickAction("OPEN_EVENT");
    Aps.Builder aps = Aps.builder().setBadge(1).setThreadId(n.tag())
        .setCategory(n.camera() != null ? "MECAM_CAMERA" : "MECAM_ALERT");
    if (!n.isUpdate()) {
      // The snapshot update replaces the first notification (same collapse id) without a second sound.
      aps.setSound(config.apnsSound());
    }
    ApnsConfig.Builder apns = ApnsConfig.builder().putHeader("apns-priority", urgent ? "10" : "5");
    if (n.tag() != null) {
      apns.putHeader("apns-collapse-id", n.tag());
    }
    if (image != null) {
      notification.setImage(image);
      android.setImage(image);
      aps.setMutableContent(true);
      apns.setFcmOptions(ApnsFcmOptions.builder().setImage(image).build());
    }
    Message.Builder m = Message.builder().setToken(job.delivery().address()).setNotification(notification.build())
        .putAllData(content.fcmData(n))
        .setAndroidConfig(AndroidConfig.builder()
            .setPriority(urgent ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
            .setCollapseKey(n.tag()).setTtl(Duration.ofHours(12).toMillis()).setNotification(android.build()).build())
        .setApnsConfig(apns.setAps(aps.build()).build());
    if ("web".equals(job.device().platform())) {
      m.setWebpushConfig(WebpushConfig.builder().putHeader("Urgency", urgent ? "high" : "normal")
          .setFcmOptions(WebpushFcmOptions.withLink(content.url(n))).build());
    }
    return m.build();
  }

  /** Subscribes tokens to an FCM topic (asynchronously; failures are logged). */
  public void subscribe(List<String> tokens, String topic) {
    if (messaging == null || tokens.isEmpty()) {
      return;
    }
    log(messaging.subscribeToTopicAsync(tokens, topic), "subscribe to " + topic);
  }

  public void unsubscribe(List<String> tokens, String topic) {
    if (messaging == null || tokens.isEmpty()) {
      return;
    }
    log(messaging.unsubscribeFromTopicAsync(tokens, topic), "unsubscribe from " + topic);
  }

  /** Sends one message to every device subscribed to a topic; returns the FCM message name. */
  public ApiFuture<String> sendToTopic(String topic, Notice n) {
    Message m = Message.builder().setTopic(topic)
        .setNotification(Notification.builder().setTitle(n.title()).setBody(n.body()).build())
        .putAllData(content.fcmData(n))
        .setAndroidConfig(AndroidConfig.builder().setPriority(AndroidConfig.Priority.HIGH).setCollapseKey(n.tag())
            .setNotification(AndroidNotification.builder().setChannelId(config.androidChannel())
                .setColor(config.androidColor()).setIcon(config.androidIcon()).build()).build())
        .build();
    return messaging.sendAsync(m);
  }

  private static <T> void log(ApiFuture<T> f, String what) {
    ApiFutures.addCallback(f, new ApiFutureCallback<>() {
      @Override
      public void onSuccess(T result) {
        Log.debugf("fcm %s done", what);
      }

      @Override
      public void onFailure(Throwable t) {
        Log.warnf("fcm %s failed: %s", what, t.getMessage());
      }
    }, MoreExecutors.directExecutor());
  }

  void stop(@Observes ShutdownEvent event) {
    if (app != null) {
      app.delete();
    }
  }
}
