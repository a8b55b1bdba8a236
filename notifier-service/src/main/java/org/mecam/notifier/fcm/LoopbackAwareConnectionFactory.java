package org.mecam.notifier.fcm;

import com.google.api.client.http.javanet.ConnectionFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;

/**
 * Opens the SDK's HTTP connections, sending requests for {@code https://fcm.googleapis.com} to a
 * configured base URL instead (a local FCM peer in tests and benchmarks); everything else unchanged.
 */
final class LoopbackAwareConnectionFactory implements ConnectionFactory {
  static final String FCM_HOST = "https://fcm.googleapis.com";

  private final String apiUrl;

  /** {@code apiUrl} null: no redirection. */
  LoopbackAwareConnectionFactory(String apiUrl) {
    this.apiUrl = apiUrl == null ? null : apiUrl.replaceAll("/+$", "");
  }

  @Override
  public HttpURLConnection openConnection(URL url) throws IOException {
    String u = url.toString();
    if (apiUrl != null && u.startsWith(FCM_HOST)) {
      url = new URL(apiUrl + u.substring(FCM_HOST.length()));
    }
    return (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
  }
}
