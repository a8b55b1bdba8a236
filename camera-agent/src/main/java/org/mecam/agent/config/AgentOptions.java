package org.mecam.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mecam.events.CameraIds;
import org.mecam.secrets.SecretFileException;
import org.mecam.secrets.SecretFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent's command line: every option can also come from {@code MECAM_AGENT_<OPTION>} or the
 * config file (see {@link ConfigDefaults}); {@link #validate()} turns it into an {@link AgentConfig}
 * or a readable error naming the option.
 */
@Command(name = "camera-agent", mixinStandardHelpOptions = true, versionProvider = AgentVersion.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Captures one camera, detects motion, records clips with pre-roll and snapshots, publishes events",
        "over MQTT and serves its media to the uploader. Every option may also be set as an environment",
        "variable MECAM_AGENT_<OPTION> (e.g. MECAM_AGENT_MQTT_URL) or as 'option=value' in the --config",
        "file (e.g. mqtt-url=tcp://server:1883); flags win over the environment, which wins over the file."},
    footer = {"", "Example: camera-agent --camera-id garage --source test:moving-box "
        + "--media-token-file /etc/mecam/garage.token"})
public final class AgentOptions {

  @Option(names = "--config", paramLabel = "<file>",
      description = "Properties file with option=value lines (keys are the long option names).")
  Path config;

  @Option(names = "--camera-id", paramLabel = "<id>",
      description = "This camera's id ([a-z0-9-]{1,32}); also its MQTT user name by default.")
  String cameraId;

  @Option(names = "--source", paramLabel = "<source>",
      description = "rtsp://..., http(s)://..., /dev/videoN, a video file, exec:<command> (a program writing "
          + "H.264 to its standard output, e.g. exec:rpicam-vid -t 0 -n --inline -o -; restarted when it exits), "
          + "or test:moving-box (a generated scene with a moving object).")
  String source;

  @Option(names = "--detect-source", paramLabel = "<source>",
      description = "Optional low-resolution stream of the same camera (e.g. its rtsp://.../sub substream) "
          + "that motion detection decodes instead of the main stream, which is then only copied into clips. "
          + "If it drops, detection falls back to a downscaled decode of the main stream.")
  String detectSource;

  @Option(names = "--v4l2-input-format", paramLabel = "<format>",
      description = "For /dev/videoN: the camera mode to ask for, e.g. h264 (clips by stream copy) or mjpeg.")
  String v4l2InputFormat;

  @Option(names = "--v4l2-size", paramLabel = "<WxH>",
      description = "For /dev/videoN: the resolution to ask for, e.g. 1280x720.")
  String v4l2Size;

  @Option(names = "--v4l2-fps", paramLabel = "<fps>", defaultValue = "0",
      description = "For /dev/videoN: the frame rate to ask for (default: the camera's).")
  double v4l2Fps;

  @Option(names = "--loop", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Play a file source again from the start when it ends (default: ${DEFAULT-VALUE}; "
          + "test scenes always loop).")
  boolean loop;

  @Option(names = "--realtime", arity = "0..1", fallbackValue = "true", defaultValue = "true",
      description = "Pace file sources at their own frame rate, as a camera would deliver them "
          + "(default: ${DEFAULT-VALUE}).")
  boolean realtime;

  @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "data/camera-agent",
      description = "Where the agent keeps its outbox, state and generated samples (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--media-dir", paramLabel = "<dir>",
      description = "Where snapshots and clips are written and served from (default: <data-dir>/media).")
  Path mediaDir;

  @Option(names = "--log-level", paramLabel = "<level>", defaultValue = "info",
      description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--mqtt-url", paramLabel = "<url>", defaultValue = "tcp://localhost:1883",
      description = "Broker URL, tcp:// or ssl:// (default: ${DEFAULT-VALUE}).")
  String mqttUrl;

  @Option(names = "--mqtt-username", paramLabel = "<user>",
      description = "Broker user name (default: the camera id).")
  String mqttUsername;

  @Option(names = "--mqtt-password-file", paramLabel = "<file>",
      description = "File holding the broker password; must not be readable by group or others.")
  Path mqttPasswordFile;

  @Option(names = "--mqtt-ca-file", paramLabel = "<file>",
      description = "PEM file of the CA that signed the broker's certificate (ssl:// only): the only CA trusted; "
          + "the broker's certificate must also name the host in --mqtt-url.")
  Path mqttCaFile;

  @Option(names = "--mqtt-ca-pem", paramLabel = "<base64>",
      description = "The same CA inline: base64 of the PEM text on one line (what the web UI's camera "
          + "configuration file holds).")
  String mqttCaPem;

  @Option(names = "--http-bind", paramLabel = "<address>", defaultValue = "0.0.0.0",
      description = "Address of the media/metrics/health HTTP server (default: ${DEFAULT-VALUE}).")
  String httpBind;

  @Option(names = "--http-port", paramLabel = "<port>", defaultValue = "8090",
      description = "Port of the media/metrics/health HTTP server (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--media-base-url", paramLabel = "<url>",
      description = "How the uploader reaches this agent, put into media-ready messages "
          + "(default: http://<host name>:<http-port>).")
  String mediaBaseUrl;

  @Option(names = "--media-token-file", paramLabel = "<file>",
      description = "File holding the bearer token the uploader must present; must not be readable by "
          + "group or others.")
  Path mediaTokenFile;

  @Option(names = "--sensitivity", paramLabel = "<1-100>", defaultValue = "60",
      description = "Motion sensitivity; higher reacts to smaller brightness changes (default: ${DEFAULT-VALUE}).")
  int sensitivity;

  @Option(names = "--min-area", paramLabel = "<fraction>", defaultValue = "0.002",
      description = "Smallest moving region counted, as a fraction of the frame (default: ${DEFAULT-VALUE}).")
  double minArea;

  @Option(names = "--detect-height", paramLabel = "<px>", defaultValue = "180",
      description = "Height of the downscaled grayscale frame motion is analysed on (default: ${DEFAULT-VALUE}).")
  int detectHeight;

  @Option(names = "--detect-fps", paramLabel = "<fps>", defaultValue = "5",
      description = "Frames analysed per second; the rest are only decoded (default: ${DEFAULT-VALUE}).")
  double detectFps;

  @Option(names = "--min-duration", paramLabel = "<duration>", defaultValue = "500ms",
      description = "Motion must last this long before an event starts (default: ${DEFAULT-VALUE}).")
  String minDuration;

  @Option(names = "--light-change", paramLabel = "<fraction>", defaultValue = "0.4",
      description = "A change covering more than this share of the frame at once is a light change, "
          + "not motion (default: ${DEFAULT-VALUE}).")
  double lightChange;

  @Option(names = "--zone", paramLabel = "<polygon>", split = ";",
      description = "Only motion inside these polygons counts: 'x,y x,y x,y' in fractions 0..1; "
          + "several separated by ';'.")
  List<String> zones = new ArrayList<>();

  @Option(names = "--mask", paramLabel = "<polygon>", split = ";",
      description = "Motion inside these polygons is ignored: 'x,y x,y x,y' in fractions 0..1; "
          + "several separated by ';'.")
  List<String> masks = new ArrayList<>();

  @Option(names = "--background", paramLabel = "<model>", defaultValue = "average",
      description = "Background model: average (running average, cheapest) or mog2 (default: ${DEFAULT-VALUE}).")
  String background;

  @Option(names = "--pre-roll", paramLabel = "<duration>", defaultValue = "3s",
      description = "Video kept from before motion started (default: ${DEFAULT-VALUE}).")
  String preRoll;

  @Option(names = "--post-roll", paramLabel = "<duration>", defaultValue = "5s",
      description = "A clip (and the event) ends this long after the last motion (default: ${DEFAULT-VALUE}).")
  String postRoll;

  @Option(names = "--max-clip", paramLabel = "<duration>", defaultValue = "60s",
      description = "Longest clip; longer motion ends the event and starts a new one (default: ${DEFAULT-VALUE}).")
  String maxClip;

  @Option(names = "--snapshot-delay", paramLabel = "<duration>", defaultValue = "1s",
      description = "The snapshot is the strongest frame within this time after motion started "
          + "(default: ${DEFAULT-VALUE}).")
  String snapshotDelay;

  @Option(names = "--update-interval", paramLabel = "<duration>", defaultValue = "1s",
      description = "While motion goes on, an 'update' message with the current score and boxes at most "
          + "this often; 0 sends none (default: ${DEFAULT-VALUE}).")
  String updateInterval;

  @Option(names = "--armed", arity = "0..1", fallbackValue = "true", defaultValue = "true",
      description = "Armed at first start; later the last set/armed command wins (default: ${DEFAULT-VALUE}).")
  boolean armed;

  @Option(names = "--record-when-disarmed", arity = "0..1", fallbackValue = "true", defaultValue = "true",
      description = "Keep detecting and recording while disarmed; events are then marked armed=false "
          + "(default: ${DEFAULT-VALUE}).")
  boolean recordWhenDisarmed;

  @Option(names = "--disk-warn-free", paramLabel = "<size|%>", defaultValue = "10%",
      description = "Raise disk-nearly-full when less is free on the media disk (default: ${DEFAULT-VALUE}).")
  String diskWarnFree;

  @Option(names = "--disk-drop-free", paramLabel = "<size|%>", defaultValue = "2%",
      description = "Delete the oldest media not yet uploaded (alert media-dropped) when less is free "
          + "(default: ${DEFAULT-VALUE}).")
  String diskDropFree;

  @Option(names = "--reconnect-alert-after", paramLabel = "<duration>", defaultValue = "60s",
      description = "Raise camera-reconnecting when the stream is down this long (default: ${DEFAULT-VALUE}).")
  String reconnectAlertAfter;

  @Option(names = "--clock-skew-max", paramLabel = "<duration>", defaultValue = "2m",
      description = "Raise clock-skew when the local clock is off by more (default: ${DEFAULT-VALUE}).")
  String clockSkewMax;

  @Option(names = "--ha-discovery", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Publish Home Assistant MQTT discovery config (default: ${DEFAULT-VALUE}).")
  boolean haDiscovery;

  @Option(names = "--ha-prefix", paramLabel = "<prefix>", defaultValue = "homeassistant",
      description = "Home Assistant discovery prefix (default: ${DEFAULT-VALUE}).")
  String haPrefix;

  @Option(names = "--exec-framerate", paramLabel = "<fps>", defaultValue = "30",
      description = "For exec: sources writing raw H.264 (no timestamps): the frame rate the command was told "
          + "to produce, e.g. rpicam-vid's --framerate; containers such as MPEG-TS bring their own timestamps "
          + "(default: ${DEFAULT-VALUE}).")
  double execFramerate;

  @Option(names = "--ha-remove", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Remove this camera from Home Assistant (empty retained discovery configs and snapshot) "
          + "and exit; for uninstalling, or after turning --ha-discovery off (default: ${DEFAULT-VALUE}).")
  boolean haRemove;

  /** Checks every value and returns the typed settings; the exception message names the bad option. */
  public AgentConfig validate() throws InvalidOptionException {
    String camProblem = CameraIds.problem(cameraId);
    if (camProblem != null) {
      throw new InvalidOptionException("--camera-id: " + camProblem);
    }
    if (source == null || source.isBlank()) {
      throw new InvalidOptionException("--source is required (e.g. rtsp://..., /dev/video0, a file or "
          + "test:moving-box)");
    }
    SourceSpec src = parse("--source", () -> SourceSpec.parse(source));
    if (src.kind() == SourceSpec.Kind.FILE && !Files.isRegularFile(Path.of(src.location()))) {
      throw new InvalidOptionException("--source: file " + src.location() + " does not exist");
    }
    SourceSpec detect = null;
    if (detectSource != null && !detectSource.isBlank()) {
      detect = parse("--detect-source", () -> SourceSpec.parse(detectSource));
      if (detect.kind() == SourceSpec.Kind.TEST) {
        throw new InvalidOptionException("--detect-source cannot be a test scene");
      }
      if (src.kind() == SourceSpec.Kind.TEST) {
        throw new InvalidOptionException("--detect-source cannot be combined with a test-scene --source");
      }
      if (detect.kind() == SourceSpec.Kind.FILE && !Files.isRegularFile(Path.of(detect.location()))) {
        throw new InvalidOptionException("--detect-source: file " + detect.location() + " does not exist");
      }
      if (detect.equals(src)) {
        throw new InvalidOptionException("--detect-source is the same as --source; leave it out to detect on "
            + "a downscaled decode of the main stream");
      }
    }
    parse("--log-level", () -> org.mecam.agent.observe.Logging.parse(logLevel));
    String lowerUrl = mqttUrl.toLowerCase(Locale.ROOT);
    if (!(lowerUrl.startsWith("tcp://") || lowerUrl.startsWith("ssl://"))) {
      throw new InvalidOptionException("--mqtt-url '" + mqttUrl + "' must start with tcp:// or ssl://");
    }
    String user = mqttUsername == null || mqttUsername.isBlank() ? cameraId : mqttUsername;
    String inlinePassword = inlineSecret("mqtt-password");
    if (inlinePassword != null && mqttPasswordFile != null) {
      throw new InvalidOptionException("both mqtt-password= (config file) and --mqtt-password-file are set; "
          + "keep one");
    }
    char[] password = inlinePassword != null ? inlinePassword.toCharArray() : mqttPasswordFile == null ? null
        : readSecret("--mqtt-password-file", mqttPasswordFile).toCharArray();
    String caPem = caPem(lowerUrl);
    String inlineToken = inlineSecret("media-token");
    if (inlineToken != null && mediaTokenFile != null) {
      throw new InvalidOptionException("both media-token= (config file) and --media-token-file are set; keep one");
    }
    if (mediaTokenFile == null && inlineToken == null) {
      throw new InvalidOptionException("--media-token-file is required: the uploader authenticates with "
          + "the token in it (create one with: head -c 32 /dev/urandom | base64 > FILE; chmod 600 FILE)");
    }
    String token = inlineToken != null ? inlineToken : readSecret("--media-token-file", mediaTokenFile);
    if (token.length() < 16) {
      throw new InvalidOptionException("--media-token-file: token must be at least 16 characters");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new InvalidOptionException("--http-port " + httpPort + " must be 0..65535");
    }
    URI base = mediaBaseUrl(httpPort);
    range("--sensitivity", sensitivity, 1, 100);
    range("--min-area", minArea, 0, 1);
    range("--detect-height", detectHeight, 36, 1080);
    range("--detect-fps", detectFps, 0.5, 60);
    range("--light-change", lightChange, 0.05, 1);
    if (!background.equals("average") && !background.equals("mog2")) {
      throw new InvalidOptionException("--background '" + background + "' must be average or mog2");
    }
    List<Polygon> zonePolys = polygons("--zone", zones);
    List<Polygon> maskPolys = polygons("--mask", masks);
    Duration minDur = duration("--min-duration", minDuration);
    Duration pre = duration("--pre-roll", preRoll);
    Duration post = duration("--post-roll", postRoll);
    Duration max = duration("--max-clip", maxClip);
    Duration snap = duration("--snapshot-delay", snapshotDelay);
    if (pre.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new InvalidOptionException("--pre-roll " + preRoll + " must be at most 60s");
    }
    if (max.compareTo(Duration.ofSeconds(2)) < 0 || max.compareTo(Duration.ofHours(1)) > 0) {
      throw new InvalidOptionException("--max-clip " + maxClip + " must be between 2s and 1h");
    }
    FreeSpaceLimit warn = parse("--disk-warn-free", () -> FreeSpaceLimit.parse(diskWarnFree));
    FreeSpaceLimit drop = parse("--disk-drop-free", () -> FreeSpaceLimit.parse(diskDropFree));
    Path media = mediaDir != null ? mediaDir : dataDir.resolve("media");
    return new AgentConfig(cameraId, src, loop, realtime, dataDir, media, logLevel, mqttUrl, user, password,
        httpBind, httpPort, base, token, sensitivity, minArea, detectHeight, detectFps, minDur, lightChange,
        zonePolys, maskPolys, background, pre, post, max, snap, armed, recordWhenDisarmed, warn, drop,
        duration("--reconnect-alert-after", reconnectAlertAfter), duration("--clock-skew-max", clockSkewMax),
        haDiscovery, haPrefix,
        haRemove,
        execFramerate(),
        blankToNull(v4l2InputFormat), v4l2Size(), v4l2Fps, detect,
        duration("--update-interval", updateInterval), caPem);
  }

  /** Where inline secrets ({@code mqtt-password=}, {@code media-token=}) come from: the --config file. */
  private ConfigDefaults inlineSecrets;

  /** Takes {@code mqtt-password=} and {@code media-token=} from this config file (checked 0600 when read). */
  public void inlineSecretsFrom(ConfigDefaults defaults) {
    this.inlineSecrets = defaults;
  }

  private String inlineSecret(String key) {
    return inlineSecrets == null ? null : inlineSecrets.inlineSecret(key);
  }

  /** The pinned broker CA as PEM text from --mqtt-ca-file or --mqtt-ca-pem, or null. */
  private String caPem(String lowerUrl) throws InvalidOptionException {
    boolean file = mqttCaFile != null;
    boolean inline = mqttCaPem != null && !mqttCaPem.isBlank();
    if (file && inline) {
      throw new InvalidOptionException("both --mqtt-ca-file and --mqtt-ca-pem are set; keep one");
    }
    if (!file && !inline) {
      return null;
    }
    String option = file ? "--mqtt-ca-file" : "--mqtt-ca-pem";
    if (!lowerUrl.startsWith("ssl://")) {
      throw new InvalidOptionException(option + " is set but --mqtt-url '" + mqttUrl + "' is not ssl://; "
          + "the connection would not be encrypted");
    }
    String pem;
    if (file) {
      try {
        pem = Files.readString(mqttCaFile, java.nio.charset.StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new InvalidOptionException("--mqtt-ca-file: cannot read " + mqttCaFile + ": " + e.getMessage());
      }
    } else {
      try {
        pem = new String(java.util.Base64.getDecoder().decode(mqttCaPem.replaceAll("\\s", "")),
            java.nio.charset.StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionException("--mqtt-ca-pem is not base64 (it is the CA's PEM text, base64-encoded"
            + " on one line)");
      }
    }
    try {
      org.mecam.mqtt.PinnedCaSocketFactory.fromPem(pem, option);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(e.getMessage());
    }
    return pem;
  }

  private double execFramerate() throws InvalidOptionException {
    range("--exec-framerate", execFramerate, 1, 240);
    return execFramerate;
  }

  private String v4l2Size() throws InvalidOptionException {
    String v = blankToNull(v4l2Size);
    if (v != null && !v.matches("\\d{2,5}x\\d{2,5}")) {
      throw new InvalidOptionException("--v4l2-size '" + v4l2Size + "' must look like 1280x720");
    }
    if (v4l2Fps < 0 || v4l2Fps > 240) {
      throw new InvalidOptionException("--v4l2-fps " + v4l2Fps + " must be between 0 and 240");
    }
    if (v4l2InputFormat != null && !v4l2InputFormat.isBlank() && !v4l2InputFormat.matches("[a-z0-9_]{2,20}")) {
      throw new InvalidOptionException("--v4l2-input-format '" + v4l2InputFormat + "' is not a format name "
          + "(e.g. h264, mjpeg, yuyv422)");
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private URI mediaBaseUrl(int port) throws InvalidOptionException {
    String text = mediaBaseUrl;
    if (text == null || text.isBlank()) {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
      text = "http://" + host + ":" + port;
    }
    try {
      URI u = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new InvalidOptionException("--media-base-url '" + text + "' must be an http(s) URL with a host");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new InvalidOptionException("--media-base-url '" + text + "' is not a URL");
    }
  }

  /** Reads a one-line secret from a file that only its owner may read. */
  static String readSecret(String option, Path file) throws InvalidOptionException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidOptionException(option + ": " + file + " does not exist or is not a file");
    }
    try {
      return SecretFiles.read(file, option);
    } catch (SecretFileException e) {
      throw new InvalidOptionException(option + ": " + e.getMessage());
    }
  }

  private static List<Polygon> polygons(String option, List<String> texts) throws InvalidOptionException {
    List<Polygon> out = new ArrayList<>();
    for (String t : texts) {
      if (!t.isBlank()) {
        out.add(parse(option, () -> Polygon.parse(t)));
      }
    }
    return out;
  }

  private static Duration duration(String option, String text) throws InvalidOptionException {
    Duration d = parse(option, () -> Durations.parse(text));
    if (d.isNegative()) {
      throw new InvalidOptionException(option + " must not be negative");
    }
    return d;
  }

  private static void range(String option, double v, double min, double max) throws InvalidOptionException {
    if (v < min || v > max || Double.isNaN(v)) {
      throw new InvalidOptionException(option + " " + v + " must be between " + min + " and " + max);
    }
  }

  private interface Parser<T> {
    T parse();
  }

  private static <T> T parse(String option, Parser<T> p) throws InvalidOptionException {
    try {
      return p.parse();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(option + ": " + e.getMessage());
    }
  }

  /** A bad option value; the message names the option and says what would be right. */
  public static final class InvalidOptionException extends Exception {
    public InvalidOptionException(String message) {
      super(message);
    }
  }
}
