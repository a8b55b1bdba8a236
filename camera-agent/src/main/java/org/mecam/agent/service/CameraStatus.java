package org.mecam.agent.service;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.logging.Logger;
import org.mecam.agent.config.AgentVersion;
import org.mecam.events.CameraState;
import org.mecam.events.Ids;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.mqtt.MqttTransport;

/**
 * The camera's current condition (armed, streaming, resolution, measured fps), kept here and published
 * retained on the state topic whenever it changes and after every reconnect. The armed flag survives
 * restarts (a file in the data directory), so a reboot never silently re-arms or disarms.
 */
public final class CameraStatus {
  private static final Logger LOG = Logger.getLogger(CameraStatus.class.getName());

  private final String camera;
  private final String source;
  private final Path armedFile;
  private final Clock clock;
  private volatile MqttTransport transport;
  private volatile boolean armed;
  private volatile boolean streaming;
  private volatile boolean streamFailed;
  private volatile int width;
  private volatile int height;
  private volatile double fps;
  private volatile String detect = "main";
  private volatile long diskFree = -1;

  public CameraStatus(String camera, String source, Path dataDir, boolean initiallyArmed, Clock clock)
      throws IOException {
    this.camera = camera;
    this.source = source;
    this.clock = clock;
    this.armedFile = dataDir.resolve("armed");
    if (Files.exists(armedFile)) {
      this.armed = Boolean.parseBoolean(Files.readString(armedFile, StandardCharsets.UTF_8).strip());
    } else {
      this.armed = initiallyArmed;
    }
  }

  public void attach(MqttTransport t) {
    this.transport = t;
  }

  public boolean armed() {
    return armed;
  }

  public boolean streaming() {
    return streaming;
  }

  public boolean streamFailed() {
    return streamFailed;
  }

  public double fps() {
    return fps;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Which stream motion detection decodes: main, detect-source or main-fallback. */
  public String detect() {
    return detect;
  }

  /** Records which stream detection runs on; announces a change. */
  public void detectingOn(String what) {
    if (!what.equals(detect)) {
      detect = what;
      publish();
    }
  }

  /** Sets the armed flag durably, then announces it. */
  public synchronized void setArmed(boolean on) throws IOException {
    if (on == armed && Files.exists(armedFile)) {
      return;
    }
    Path tmp = armedFile.resolveSibling("armed.tmp");
    Files.writeString(tmp, Boolean.toString(on), StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, armedFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    armed = on;
    LOG.info("camera " + camera + " " + (on ? "armed" : "disarmed"));
    publish();
  }

  public void streamUp(int w, int h, double nominalFps) {
    width = w;
    height = h;
    fps = nominalFps;
    streaming = true;
    streamFailed = false;
    publish();
  }

  /** {@code failed}: the stream broke (as opposed to a file that simply ended). */
  public void streamDown(boolean failed) {
    streaming = false;
    streamFailed = failed;
    publish();
  }

  /** Updates the measured frame rate; announces it when it moved by more than 10%. */
  public void measuredFps(double measured) {
    double old = fps;
    fps = measured;
    if (old == 0 || Math.abs(measured - old) / old > 0.1) {
      publish();
    }
  }

  /** Free bytes on the media disk, or -1 before the first check. */
  public long diskFree() {
    return diskFree;
  }

  /**
   * Records the free bytes on the media disk; announces it on the first reading and when it moved by
   * more than 1 % (at least 16 MiB), so a disk that fills slowly does not republish the state every check.
   */
  public void diskFree(long bytes) {
    if (bytes < 0) {
      return;
    }
    long old = diskFree;
    diskFree = bytes;
    if (old < 0 || Math.abs(bytes - old) > Math.max(16L << 20, old / 100)) {
      publish();
    }
  }

  /** Publishes the retained state now (QoS 1; held by the client while the broker is away). */
  public void publish() {
    MqttTransport t = transport;
    if (t == null) {
      return;
    }
    CameraState s = new CameraState(Payload.SCHEMA, Ids.newId(), camera, clock.instant(), armed, streaming,
        width, height, Math.round(fps * 100) / 100.0, source, AgentVersion.version(), detect,
        diskFree < 0 ? null : diskFree);
    t.publish(Topics.cameraState(camera), PayloadCodec.encode(s), 1, true);
  }
}
