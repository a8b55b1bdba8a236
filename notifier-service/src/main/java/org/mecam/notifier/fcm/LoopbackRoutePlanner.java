package org.mecam.notifier.fcm;

import java.net.URI;
import org.apache.http.HttpException;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.conn.DefaultRoutePlanner;
import org.apache.http.protocol.HttpContext;

/**
 * Routes the SDK's requests for {@code https://fcm.googleapis.com} to a configured base URL instead
 * (a local FCM peer in tests and benchmarks); every other host is routed as usual.
 */
final class LoopbackRoutePlanner extends DefaultRoutePlanner {
  static final String FCM_HOST = "fcm.googleapis.com";

  private final HttpHost target;

  LoopbackRoutePlanner(String apiUrl) {
    super(null);
    URI u = URI.create(apiUrl);
    this.target = new HttpHost(u.getHost(), u.getPort(), u.getScheme());
  }

  @Override
  public HttpRoute determineRoute(HttpHost host, HttpRequest request, HttpContext context) throws HttpException {
    if (host != null && FCM_HOST.equalsIgnoreCase(host.getHostName())) {
      return new HttpRoute(target);
    }
    return super.determineRoute(host, request, context);
  }
}
