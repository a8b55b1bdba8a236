package org.mecam.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The agent's validated settings; built once from flags, environment and config file by {@link AgentOptions}. */
public record AgentConfig(
    String cameraId,
    SourceSpec source,
    boolean loop,
    boolean realtime,
    Path dataDir,
    Path mediaDir,
    String logLevel,
    String mqttUrl,
    String mqttUsername,
    char[] mqttPassword,
    String httpBind,
    int httpPort,
    URI mediaBaseUrl,
    String mediaToken,
    int sensitivity,
    double minArea,
    int detectHeight,
    double detectFps,
    Duration minDuration,
    double lightChange,
    List<Polygon> zones,
    List<Polygon> masks,
    String background,
    Duration preRoll,
    Duration postRoll,
    Duration maxClip,
    Duration snapshotDelay,
    boolean armed,
    boolean recordWhenDisarmed,
    FreeSpaceLimit diskWarnFree,
    FreeSpaceLimit diskDropFree,
    Duration reconnectAlertAfter,
    Duration clockSkewMax,
    boolean haDiscovery,
    String haPrefix,
    boolean haRemove,
    double execFramerate,
    String v4l2InputFormat,
    String v4l2Size,
    double v4l2Fps,
    SourceSpec detectSource,
    Duration updateInterval,
    /** PEM of the only CA trusted for an ssl:// broker (--mqtt-ca-file / --mqtt-ca-pem), or null. */
    String mqttCaPem) {

  @Override
  public String toString() {
    // Never print secrets.
    return "AgentConfig[camera=" + cameraId + ", source=" + source
        + (detectSource != null ? ", detect=" + detectSource : "") + ", mqtt=" + mqttUrl + " as "
        + mqttUsername + ", http=" + httpBind + ":" + httpPort + ", media=" + mediaDir + "]";
  }
}
