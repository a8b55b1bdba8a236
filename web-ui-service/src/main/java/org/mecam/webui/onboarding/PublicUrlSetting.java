package org.mecam.webui.onboarding;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.events.WebUiSettings;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.webui.store.BrokerRecords;
import org.mecam.webui.store.EventQueries;

/**
 * The web UI's public address chosen at first-run setup: kept in the database, published retained
 * on {@code mecam/v1/webui/settings} (at setup and at every start) for the notifier's links, and
 * used wherever the web UI builds an absolute link (agent configs, the broker host for cameras).
 */
@ApplicationScoped
public class PublicUrlSetting {
  static final String SETTING = "webui.public-url";

  private final EventQueries queries;
  private final BrokerRecords records;
  private final BrokerConnection broker;
  private final Clock clock;

  public PublicUrlSetting(EventQueries queries, BrokerRecords records, BrokerConnection broker, Clock clock) {
    this.queries = queries;
    this.records = records;
    this.broker = broker;
    this.clock = clock;
  }

  /** The public URL ({@code https://host[:port][/path]}, no trailing slash), once setup has set it. */
  public Optional<String> get() {
    return queries.setting(SETTING);
  }

  /** The host cameras and phones reach this installation by, from the public URL. */
  public Optional<String> host() {
    return get().map(u -> URI.create(u).getHost());
  }

  /** An absolute link to {@code path} (starting with {@code /}) under the public URL. */
  public Optional<String> absolute(String path) {
    return get().map(u -> u + path);
  }

  /** Stores {@code url} (already normalised by {@link WebUiSettings#normalisePublicUrl}) and publishes it. */
  public void set(String url) {
    records.putSetting(SETTING, url);
    publish(url);
    Log.infof("public URL set to %s", url);
  }

  void republish(@Observes StartupEvent event) {
    get().ifPresent(this::publish);
  }

  private void publish(String url) {
    WebUiSettings s = new WebUiSettings(Payload.SCHEMA, Ids.newId(), clock.instant(), url);
    // Buffered by the client while the broker is away; retained so a notifier starting later gets it.
    broker.transport().publish(Topics.WEBUI_SETTINGS, PayloadCodec.encode(s), 1, true);
  }
}
