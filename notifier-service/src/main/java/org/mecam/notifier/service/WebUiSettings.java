package org.mecam.notifier.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.mecam.events.PayloadCodec;

/**
 * Reads the web UI's retained settings record ({@code mecam/v1/webui/settings},
 * {@code {"schema":1,"publicUrl":"https://..."}}, contract 4) and points snapshot and event links at its
 * public URL; an empty (cleared) record falls back to {@code mecam.notifier.web-ui-base-url}.
 */
@ApplicationScoped
public class WebUiSettings {
  /** The topic the web UI publishes its settings on, retained. */
  public static final String TOPIC = "mecam/v1/webui/settings";

  private final SnapshotLinks links;

  public WebUiSettings(SnapshotLinks links) {
    this.links = links;
  }

  /** Applies one message; returns the problem when it is refused (null when applied). */
  public String apply(byte[] payload) {
    if (payload.length == 0) {
      links.setPublishedBase(null);
      Log.info("web UI settings cleared: links use mecam.notifier.web-ui-base-url");
      return null;
    }
    String problem = problem(payload);
    if (problem != null) {
      Log.warnf("web UI settings ignored: %s", problem);
      return problem;
    }
    String url = parse(payload).path("publicUrl").asText();
    links.setPublishedBase(url);
    Log.infof("links now point at the web UI's public URL %s", url);
    return null;
  }

  private static JsonNode parse(byte[] payload) {
    try {
      return PayloadCodec.mapper().readTree(new String(payload, StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      return null;
    }
  }

  static String problem(byte[] payload) {
    if (payload.length > 4096) {
      return "record larger than 4 KiB";
    }
    JsonNode n = parse(payload);
    if (n == null || !n.isObject()) {
      return "not a JSON object";
    }
    if (n.path("schema").asInt(-1) != 1) {
      return "schema must be 1";
    }
    JsonNode url = n.get("publicUrl");
    if (url == null || !url.isTextual()) {
      return "publicUrl must be text";
    }
    try {
      URI u = new URI(url.asText());
      if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
          || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
        return "publicUrl must be an http(s) URL without user, query or fragment";
      }
    } catch (java.net.URISyntaxException e) {
      return "publicUrl is not a URL";
    }
    return null;
  }
}
