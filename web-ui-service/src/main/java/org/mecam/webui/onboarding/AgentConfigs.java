package org.mecam.webui.onboarding;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.mecam.cameras.RegisteredCamera;

/**
 * The camera agent's configuration file for one camera ({@code option=value} lines the agent's
 * {@code --config} reads) and the one-line command that installs it on the Pi.
 */
public final class AgentConfigs {
  /** Where the Pi's systemd unit reads its settings. */
  public static final String PI_CONFIG_FILE = "/etc/mecam/camera-agent.properties";

  private AgentConfigs() {}

  /**
   * The file's text: the camera's id and broker login, its media token, the broker's TLS address
   * ({@code ssl://<brokerHost>:<brokerPort>}) and, when known, the CA it must trust (base64 of the
   * PEM, one line).
   */
  public static String file(RegisteredCamera camera, String mqttPassword, String brokerHost, int brokerPort,
      String caPem, Instant now) {
    StringBuilder b = new StringBuilder();
    b.append("# mecam camera agent settings for \"").append(camera.name().replace('\n', ' ')).append("\" (")
        .append(camera.id()).append("), made by the web UI at ").append(now).append(".\n");
    b.append("# Secret: it holds this camera's broker password and media token. Keep it mode 0600.\n");
    b.append("camera-id=").append(camera.id()).append('\n');
    b.append("# The camera to watch: /dev/video0 (USB or Pi camera via V4L2), rtsp://... or http://...\n");
    b.append("source=/dev/video0\n");
    b.append("mqtt-url=ssl://").append(brokerHost).append(':').append(brokerPort).append('\n');
    b.append("mqtt-username=").append(camera.id()).append('\n');
    b.append("mqtt-password=").append(mqttPassword).append('\n');
    b.append("media-token=").append(camera.mediaToken()).append('\n');
    if (caPem != null) {
      b.append("mqtt-ca-pem=")
          .append(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8))).append('\n');
    }
    b.append("media-base-url=").append(camera.mediaUrl()).append('\n');
    int port = camera.mediaUrl().getPort();
    if (port > 0) {
      b.append("http-port=").append(port).append('\n');
    }
    return b.toString();
  }

  /**
   * A command to paste into the Pi's terminal: writes the file (0600, owned by the agent's user)
   * and restarts the agent. The file travels base64-encoded, so no character of it needs quoting.
   */
  public static String installCommand(String file) {
    String b64 = Base64.getEncoder().encodeToString(file.getBytes(StandardCharsets.UTF_8));
    return "echo '" + b64 + "' | base64 -d | sudo install -D -o mecam -g mecam -m 600 /dev/stdin "
        + PI_CONFIG_FILE + " && sudo systemctl restart mecam-camera-agent";
  }
}
