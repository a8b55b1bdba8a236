package org.mecam.agent.service;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.media.DiskSpacePolicy;
import org.mecam.agent.media.MediaServer;
import org.mecam.agent.media.MediaStore;
import org.mecam.agent.mqtt.EventPublisher;
import org.mecam.agent.mqtt.HomeAssistantDiscovery;
import org.mecam.agent.mqtt.Outbox;
import org.mecam.agent.mqtt.OutboxPublisher;
import org.mecam.agent.mqtt.RawArmCommands;
import org.mecam.agent.observe.Metrics;
import org.mecam.events.Alert;
import org.mecam.events.ArmCommand;
import org.mecam.events.MediaStored;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttSettings;
import org.mecam.mqtt.PahoTransport;
import org.mecam.mqtt.ValidatingSubscriber;

/**
 * Wires the agent together and owns its life: broker connection with its own credentials and Last
 * Will, durable outbox, HTTP server, camera loop, subscriptions (arm/disarm, uploaded media), and
 * periodic checks (disk space, reconnect-time state). {@link #close()} is the one shutdown path.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Agent.class.getName());
  /** The {@code service} of its dead letters, which go to mecam/v1/dead-letter/cameras/<camera>. */
  public static final String SERVICE = "camera-agent";

  private final AgentConfig cfg;
  private final Clock clock;
  private final Metrics metrics = new Metrics();
  private final Outbox outbox;
  private final PahoTransport transport;
  private final OutboxPublisher outboxPublisher;
  private final EventPublisher publisher;
  private final Alerts alerts;
  private final CameraStatus status;
  private final MediaStore media;
  private final DiskSpacePolicy disk;
  private final MediaServer server;
  private final CameraLoop camera;
  private final HomeAssistantDiscovery discovery;
  private final ScheduledExecutorService scheduler;
  private volatile boolean wasConnected;
  private volatile boolean closed;

  private Agent(AgentConfig cfg, Clock clock, DiskSpacePolicy.Disk diskOverride) throws IOException {
    this.cfg = cfg;
    this.clock = clock;
    Files.createDirectories(cfg.dataDir());
    outbox = new Outbox(cfg.dataDir().resolve("outbox"));
    MqttSettings settings = MqttSettings.builder(cfg.mqttUrl(), "mecam-camera-" + cfg.cameraId())
        .credentials(cfg.mqttUsername(), cfg.mqttPassword())
        .availabilityTopic(Topics.cameraAvailability(cfg.cameraId()))
        .caPem(cfg.mqttCaPem())
        .build();
    status = new CameraStatus(cfg.cameraId(), cfg.source().kind().stateName(), cfg.dataDir(), cfg.armed(), clock);
    transport = PahoTransport.start(settings);
    status.attach(transport);
    outboxPublisher = new OutboxPublisher(outbox, transport, Topics.cameraAvailability(cfg.cameraId()));
    publisher = new EventPublisher(cfg.cameraId(), outbox, clock, metrics);
    alerts = new Alerts(publisher, cfg.cameraId());
    media = new MediaStore(cfg.mediaDir());
    disk = new DiskSpacePolicy(media, diskOverride != null ? diskOverride : DiskSpacePolicy.diskOf(media),
        cfg.diskWarnFree(), cfg.diskDropFree(), alerts);
    discovery = cfg.haDiscovery() ? new HomeAssistantDiscovery(cfg.haPrefix(), cfg.cameraId(), transport) : null;
    metrics.gauge("mecam_broker_connected", "1 while connected to the MQTT broker", () -> transport.isConnected() ? 1 : 0);
    metrics.gauge("mecam_agent_armed", "1 while the camera is armed", () -> status.armed() ? 1 : 0);
    metrics.gauge("mecam_agent_media_files", "Media files on disk not yet reported uploaded", media::count);
    metrics.gauge("mecam_agent_media_bytes", "Bytes of media on disk not yet reported uploaded", media::bytes);
    metrics.gauge("mecam_agent_disk_free_bytes", "Free bytes on the media disk at the last check", disk::lastUsable);
    metrics.gauge("mecam_agent_messages_confirmed_total", "Messages confirmed by the broker since start",
        outboxPublisher::published);
    server = new MediaServer(cfg.httpBind(), cfg.httpPort(), media.root(), cfg.mediaToken(), metrics, this::health);
    camera = new CameraLoop(cfg, status, publisher, media, disk, alerts, clock, metrics);
    if (discovery != null) {
      camera.onSnapshot(discovery::snapshot);
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agent-checks");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * {@code --ha-remove}: connects with the camera's credential (its own client id, no Last Will, so a
   * running agent is not kicked and no availability is touched), publishes empty retained messages on
   * every Home Assistant topic of the camera, each confirmed, and disconnects.
   */
  public static void removeFromHomeAssistant(AgentConfig cfg, Duration timeout) throws Exception {
    MqttSettings settings = MqttSettings.builder(cfg.mqttUrl(), "mecam-camera-" + cfg.cameraId() + "-ha-remove")
        .credentials(cfg.mqttUsername(), cfg.mqttPassword())
        .build();
    try (PahoTransport t = PahoTransport.start(settings)) {
      if (!t.awaitConnected(timeout)) {
        throw new IOException("cannot connect to " + cfg.mqttUrl() + " within " + timeout.toSeconds() + " s");
      }
      new HomeAssistantDiscovery(cfg.haPrefix(), cfg.cameraId(), t).remove(timeout);
    }
  }

  /** Starts everything; returns once the HTTP server listens and the camera loop runs. */
  public static Agent start(AgentConfig cfg, Clock clock) throws IOException {
    return start(cfg, clock, null);
  }

  /** As {@link #start(AgentConfig, Clock)}, with a stand-in media disk (tests of the disk policy). */
  public static Agent start(AgentConfig cfg, Clock clock, DiskSpacePolicy.Disk disk) throws IOException {
    Agent a = new Agent(cfg, clock, disk);
    a.begin();
    return a;
  }

  private void begin() {
    LOG.info("camera-agent " + org.mecam.agent.config.AgentVersion.version() + " starting: " + cfg);
    // Raw ON/OFF (Home Assistant before 2024.8) become ArmCommands; everything else is validated as is.
    RawArmCommands commands = new RawArmCommands(transport, Topics.cameraSetArmed(cfg.cameraId()), cfg.cameraId(),
        clock);
    ValidatingSubscriber sub = new ValidatingSubscriber(commands, SERVICE,
        Topics.cameraDeadLetter(cfg.cameraId()), clock, 5);
    sub.subscribe(Topics.cameraSetArmed(cfg.cameraId()), ArmCommand.class, (topic, cmd) -> {
      checkClock(cmd.time());
      status.setArmed(cmd.armed());
    });
    sub.subscribe(Topics.mediaStored(cfg.cameraId()), MediaStored.class, (topic, stored) -> {
      checkClock(stored.time());
      if (stored.stage() == MediaStored.Stage.UPLOADED) {
        if (media.delete(stored.mediaId())) {
          LOG.info("camera " + cfg.cameraId() + " media " + stored.mediaId() + " uploaded to " + stored.backend()
              + "; local copy deleted");
        }
      }
    });
    if (discovery != null) {
      discovery.followHomeAssistantStatus();
    }
    if (clock.instant().isBefore(Instant.parse("2024-01-01T00:00:00Z"))) {
      alerts.raise(Alert.Kind.CLOCK_SKEW, Alert.Severity.SYSTEM, "camera " + cfg.cameraId()
          + " clock says " + clock.instant() + "; event times will be wrong until it is set (NTP)");
    }
    outboxPublisher.start();
    server.start();
    camera.start();
    scheduler.scheduleWithFixedDelay(this::periodic, 0, 500, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(() -> {
      disk.check();
      status.diskFree(disk.lastUsable());
    }, 0, 30, TimeUnit.SECONDS);
  }

  private void periodic() {
    try {
      boolean connected = transport.isConnected();
      if (connected && !wasConnected) {
        // The broker may have lost retained messages (no persistence): announce state again.
        status.publish();
        if (discovery != null) {
          discovery.publish();
        }
      }
      wasConnected = connected;
    } catch (RuntimeException e) {
      LOG.warning("periodic check failed: " + e.getMessage());
    }
  }

  /**
   * Messages from the server carry its time; one that is from well in our future means our clock is
   * behind (old, queued messages can only make us look ahead, so that direction proves nothing).
   */
  private void checkClock(Instant sentAt) {
    Duration ahead = Duration.between(clock.instant(), sentAt);
    if (ahead.compareTo(cfg.clockSkewMax()) > 0) {
      alerts.raise(Alert.Kind.CLOCK_SKEW, Alert.Severity.SYSTEM, "camera " + cfg.cameraId() + " clock is "
          + ahead.toSeconds() + " s behind the server's; check NTP on the camera");
    } else if (ahead.abs().compareTo(cfg.clockSkewMax()) <= 0) {
      alerts.clear(Alert.Kind.CLOCK_SKEW, "camera " + cfg.cameraId() + " clock agrees with the server again");
    }
  }

  /** /health: UP while the broker is connected and the camera stream has not failed. */
  public MediaServer.Health health() {
    boolean broker = transport.isConnected();
    boolean stream = !status.streamFailed();
    String json = "{\"status\":\"" + (broker && stream ? "UP" : "DOWN") + "\",\"checks\":{"
        + "\"mqtt-broker\":\"" + (broker ? "UP" : "DOWN") + "\","
        + "\"stream\":\"" + (status.streaming() ? "UP" : stream ? "IDLE" : "DOWN") + "\","
        + "\"outbox-pending\":" + outbox.size() + ","
        + "\"armed\":" + status.armed() + "}}";
    return new MediaServer.Health(broker && stream, json);
  }

  public Metrics metrics() {
    return metrics;
  }

  public int httpPort() {
    return server.port();
  }

  public CameraLoop camera() {
    return camera;
  }

  public MediaStore media() {
    return media;
  }

  public CameraStatus status() {
    return status;
  }

  public Outbox outbox() {
    return outbox;
  }

  public DiskSpacePolicy disk() {
    return disk;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("camera-agent stopping");
    scheduler.shutdownNow();
    camera.stop();
    outboxPublisher.stop(Duration.ofSeconds(5));
    if (outbox.size() > 0) {
      LOG.info(outbox.size() + " message(s) stay in the outbox for the next start");
    }
    transport.close();
    server.close();
    LOG.info("camera-agent stopped");
  }
}
