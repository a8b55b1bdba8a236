package org.mecam.bench.notifier;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.mecam.testkit.fcm.LoopbackFcmService;

/** The FCM baseline: firebase-admin's sendEach straight to the loopback peer, no service around it. */
final class BareFcm {
  private BareFcm() {}

  static double sendsPerSecond(LoopbackFcmService fcm, Path account, List<String> tokens, int rounds)
      throws Exception {
    System.setProperty("http.maxConnections", "64");
    String api = fcm.apiUrl();
    NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory((URL url) -> {
      String u = url.toString();
      URL target = u.startsWith("https://fcm.googleapis.com") ? new URL(api + u.substring(26)) : url;
      return (HttpURLConnection) target.openConnection(Proxy.NO_PROXY);
    }).build();
    GoogleCredentials creds;
    try (InputStream in = Files.newInputStream(account)) {
      creds = GoogleCredentials.fromStream(in, () -> transport)
          .createScoped("https://www.googleapis.com/auth/firebase.messaging");
    }
    FirebaseApp app = FirebaseApp.initializeApp(FirebaseOptions.builder().setCredentials(creds)
        .setHttpTransport(transport).setJsonFactory(GsonFactory.getDefaultInstance()).build(),
        "bench-" + UUID.randomUUID());
    FirebaseMessaging messaging = FirebaseMessaging.getInstance(app);
    int before = fcm.acceptedCount();
    long start = System.nanoTime();
    int total = 0;
    for (int r = 0; r < rounds; r++) {
      for (int from = 0; from < tokens.size(); from += 500) {
        List<Message> batch = new ArrayList<>();
        for (String t : tokens.subList(from, Math.min(tokens.size(), from + 500))) {
          batch.add(Message.builder().setToken(t)
              .setNotification(Notification.builder().setTitle("Motion on bench").setBody("baseline").build())
              .setAndroidConfig(AndroidConfig.builder().setPriority(AndroidConfig.Priority.HIGH).build())
              .putData("eventId", "e").build());
        }
        total += batch.size();
        messaging.sendEach(batch);
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    app.delete();
    int accepted = fcm.acceptedCount() - before;
    if (accepted != total) {
      throw new IllegalStateException("FCM baseline: " + accepted + " of " + total + " accepted");
    }
    return total / secs;
  }
}
