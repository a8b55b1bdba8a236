package org.mecam.uploader.storage;

import com.google.api.client.auth.oauth2.AuthorizationCodeRequestUrl;
import com.google.api.client.auth.oauth2.AuthorizationCodeTokenRequest;
import com.google.api.client.auth.oauth2.ClientParametersAuthentication;
import com.google.api.client.auth.oauth2.TokenResponse;
import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.json.JsonFactory;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mecam.secrets.SecretFiles;
import org.mecam.uploader.config.UploaderConfig;

/**
 * OAuth 2.0 for installed apps with a loopback redirect and PKCE: {@code oauth_authorize} without
 * arguments opens a one-shot listener on 127.0.0.1 and returns the Google consent URL; the code comes
 * back to the listener (browser on the server) or is handed in as {@code code} or {@code redirectUrl}
 * (browser elsewhere: the owner pastes the address the browser ended on). Tokens are never logged.
 */
final class DriveAuthorization {
  /** Only files this app created: enough for mecam, and nothing else in the account is visible to it. */
  static final String SCOPE = "https://www.googleapis.com/auth/drive.file";

  /** Receives the refresh token of a completed authorization. */
  interface Linked {
    void linked(String refreshToken) throws IOException;
  }

  private final UploaderConfig.Drive config;
  private final HttpTransport transport;
  private final JsonFactory json;
  private final Linked linked;
  private final SecureRandom random = new SecureRandom();
  private HttpServer listener;
  private String state;
  private String verifier;
  private String redirectUri;

  DriveAuthorization(UploaderConfig.Drive config, HttpTransport transport, JsonFactory json, Linked linked) {
    this.config = config;
    this.transport = transport;
    this.json = json;
    this.linked = linked;
  }

  String clientSecret() throws IOException {
    return config.clientSecretFile().isPresent() ? SecretFiles.read(config.clientSecretFile().get(), "Google Drive client secret") : "";
  }

  synchronized boolean pending() {
    return state != null;
  }

  synchronized Map<String, Object> authorize(Map<String, Object> args) {
    if (args.containsKey("code")) {
      return complete(String.valueOf(args.get("code")), args.containsKey("state") ? String.valueOf(args.get("state")) : null);
    }
    if (args.containsKey("redirectUrl")) {
      Map<String, String> q = query(URI.create(String.valueOf(args.get("redirectUrl")).strip()).getRawQuery());
      if (q.containsKey("error")) {
        throw new IllegalArgumentException("Google reported: " + q.get("error"));
      }
      if (!q.containsKey("code")) {
        throw new IllegalArgumentException("redirectUrl carries no 'code' parameter");
      }
      return complete(q.get("code"), q.get("state"));
    }
    return start();
  }

  private Map<String, Object> start() {
    stopListener();
    try {
      listener = HttpServer.create(new InetSocketAddress("127.0.0.1", config.redirectPort()), 0);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the loopback listener on port " + config.redirectPort()
          + ": " + e.getMessage());
    }
    redirectUri = "http://127.0.0.1:" + listener.getAddress().getPort() + "/";
    state = token(16);
    verifier = token(32);
    listener.createContext("/", ex -> {
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      String page;
      int status = 200;
      if (!q.containsKey("code")) {
        page = "Authorization did not complete: " + q.getOrDefault("error", "no code") + ".";
        status = 400;
      } else {
        try {
          complete(q.get("code"), q.get("state"));
          page = "mecam is now linked to Google Drive. You can close this tab.";
        } catch (IllegalArgumentException e) {
          page = "Linking failed: " + e.getMessage();
          status = 400;
        }
      }
      byte[] body = ("<!doctype html><title>mecam</title><p>" + page.replace("<", "&lt;") + "</p>")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    listener.start();
    String url = new AuthorizationCodeRequestUrl(config.authUri().toString(), config.clientId().orElseThrow())
        .setRedirectUri(redirectUri)
        .setScopes(List.of(SCOPE))
        .setState(state)
        .set("access_type", "offline")
        .set("prompt", "consent")
        .set("code_challenge", challenge(verifier))
        .set("code_challenge_method", "S256")
        .build();
    Log.infof("Google Drive authorization started; loopback listener on %s", redirectUri);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("authorizeUrl", url);
    data.put("redirectUri", redirectUri);
    data.put("state", state);
    data.put("message", "Open authorizeUrl and allow access. If the browser runs on another machine, it ends on a "
        + "page that does not load: send its address back as oauth_authorize with args {\"redirectUrl\": ...}.");
    return data;
  }

  private synchronized Map<String, Object> complete(String code, String returnedState) {
    if (state == null) {
      throw new IllegalArgumentException("no authorization is in progress; start one with oauth_authorize");
    }
    if (returnedState != null && !returnedState.equals(state)) {
      throw new IllegalArgumentException("the authorization's state does not match; start again");
    }
    try {
      TokenResponse r = new AuthorizationCodeTokenRequest(transport, json, new GenericUrl(config.tokenUri().toString()),
          code)
          .setRedirectUri(redirectUri)
          .setClientAuthentication(new ClientParametersAuthentication(config.clientId().orElseThrow(), clientSecret()))
          .set("code_verifier", verifier)
          .execute();
      if (r.getRefreshToken() == null) {
        throw new IllegalArgumentException("Google returned no refresh token; remove mecam's access in your "
            + "Google account settings and authorize again");
      }
      linked.linked(r.getRefreshToken());
    } catch (TokenResponseException e) {
      throw new IllegalArgumentException("Google refused the code: "
          + (e.getDetails() == null ? "HTTP " + e.getStatusCode() : e.getDetails().getError()));
    } catch (IOException e) {
      throw new IllegalArgumentException("code exchange failed: " + e.getMessage());
    }
    state = null;
    verifier = null;
    HttpServer l = listener;
    listener = null;
    if (l != null) {
      new Thread(() -> l.stop(1), "oauth-listener-stop").start();
    }
    return Map.of("linked", true);
  }

  private void stopListener() {
    if (listener != null) {
      listener.stop(0);
      listener = null;
    }
  }

  private String token(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String challenge(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }
}
