package org.mecam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The web UI as a browser on the LAN sees it: HTTPS verified against the installation's CA (and the
 * host name), a cookie jar for the session, and the session's CSRF token on every change.
 */
final class WebUiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http;
  private String csrf;

  WebUiClient(URI base, String caPem) {
    this.base = base;
    this.http = HttpClient.newBuilder().sslContext(trusting(caPem)).cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  static SSLContext trusting(String caPem) {
    try {
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("mecam-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("CA certificate: " + e.getMessage(), e);
    }
  }

  URI base() {
    return base;
  }

  /** Reads the session's CSRF token after a login or setup. */
  void refreshCsrf() {
    HttpResponse<String> r = get("/api/session");
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /api/session -> " + r.statusCode() + " " + r.body());
    }
    JsonNode n = json(r);
    csrf = n.path("csrfToken").asText(null);
  }

  /** Logs in through the login form as a browser does (the form's CSRF token, then the post). */
  int login(String username, String password) {
    HttpResponse<String> page = get("/login");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\"\\s+value=\"([^\"]+)\"")
        .matcher(page.body());
    if (!m.find()) {
      m = java.util.regex.Pattern.compile("value=\"([^\"]+)\"\\s+name=\"csrf\"").matcher(page.body());
      if (!m.find()) {
        throw new AssertionError("no csrf field in the login page (" + page.statusCode() + ")");
      }
    }
    String form = "username=" + enc(username) + "&password=" + enc(password) + "&csrf=" + enc(m.group(1));
    HttpResponse<String> r = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", base.getScheme() + "://" + base.getAuthority())
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    if (r.statusCode() == 303) {
      refreshCsrf();
    }
    return r.statusCode();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  /** A download (the agent config is text/plain, an attachment), as a browser asks for it. */
  HttpResponse<String> download(String path) {
    return send(request(path).setHeader("Accept", "*/*").GET().build());
  }

  HttpResponse<byte[]> getBytes(String path) {
    try {
      return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> post(String path, Object body) {
    return send(change(path).POST(HttpRequest.BodyPublishers.ofString(write(body))).build());
  }

  HttpResponse<String> delete(String path) {
    return send(change(path).DELETE().build());
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .setHeader("Accept", "application/json");
  }

  private HttpRequest.Builder change(String path) {
    HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
        .header("Origin", base.getScheme() + "://" + base.getAuthority());
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(req.method() + " " + req.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
