package org.mecam.notifier.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.mecam.events.InvalidPayloadException;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.events.WebUiSettings;

/**
 * Reads the web UI's retained settings record ({@link WebUiSettings} on {@code mecam/v1/webui/settings},
 * contract 4) and points snapshot and event links at its public URL; an empty (cleared) record falls
 * back to {@code mecam.notifier.web-ui-base-url}, and an invalid one is ignored (logged with the reason).
 */
@ApplicationScoped
public class PublicUrlListener {
  /** The topic the web UI publishes its settings on, retained. */
  public static final String TOPIC = Topics.WEBUI_SETTINGS;

  private final SnapshotLinks links;

  public PublicUrlListener(SnapshotLinks links) {
    this.links = links;
  }

  /** Applies one message; returns the problem when it is refused (null when applied). */
  public String apply(byte[] payload) {
    if (payload.length == 0) {
      links.setPublishedBase(null);
      Log.info("web UI settings cleared: links use mecam.notifier.web-ui-base-url");
      return null;
    }
    WebUiSettings settings;
    try {
      settings = PayloadCodec.decode(TOPIC, payload, WebUiSettings.class);
    } catch (InvalidPayloadException e) {
      Log.warnf("web UI settings ignored: %s", e.reason());
      return e.reason();
    }
    links.setPublishedBase(settings.publicUrl());
    Log.infof("links now point at the web UI's public URL %s", settings.publicUrl());
    return null;
  }
}
