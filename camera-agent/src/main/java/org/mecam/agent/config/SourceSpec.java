package org.mecam.agent.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where frames come from: a V4L2 device, an RTSP/HTTP stream, a video file, a child process writing
 * H.264 to its standard output ({@code exec:rpicam-vid ... -o -}, the Pi Camera Module), or a generated
 * test scene ({@code test:moving-box}) so the agent runs with no camera and no sample file.
 */
public record SourceSpec(Kind kind, String location) {

  /** The kinds of source; the names are the {@code source} values of the retained camera state. */
  public enum Kind {
    V4L2, RTSP, HTTP, FILE, TEST, EXEC;

    public String stateName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Test scenes the agent can generate. */
  public static final java.util.List<String> TEST_SCENES = java.util.List.of("moving-box");

  public static SourceSpec parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("source is empty");
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("test:")) {
      String scene = t.substring(5);
      if (!TEST_SCENES.contains(scene)) {
        throw new IllegalArgumentException("unknown test scene '" + scene + "' (known: " + TEST_SCENES + ")");
      }
      return new SourceSpec(Kind.TEST, scene);
    }
    if (lower.startsWith("exec:")) {
      String command = t.substring(5).trim();
      if (command.isEmpty()) {
        throw new IllegalArgumentException("exec: needs a command line, e.g. exec:rpicam-vid -t 0 -n --inline -o -");
      }
      commandLine(command);
      return new SourceSpec(Kind.EXEC, command);
    }
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
      return new SourceSpec(Kind.RTSP, t);
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return new SourceSpec(Kind.HTTP, t);
    }
    if (lower.startsWith("/dev/video") || lower.startsWith("v4l2:")) {
      return new SourceSpec(Kind.V4L2, lower.startsWith("v4l2:") ? t.substring(5) : t);
    }
    String path = lower.startsWith("file:") ? t.substring(5) : t;
    if (path.contains("://")) {
      throw new IllegalArgumentException("source '" + t + "': unsupported scheme (use rtsp://, http(s)://, "
          + "/dev/videoN, a file path or test:moving-box)");
    }
    return new SourceSpec(Kind.FILE, Path.of(path).toString());
  }

  /** True for sources that deliver frames as they happen (cameras), false for files and generated scenes. */
  public boolean live() {
    return kind == Kind.V4L2 || kind == Kind.RTSP || kind == Kind.HTTP || kind == Kind.EXEC;
  }

  /**
   * Splits an {@code exec:} command line into program and arguments: whitespace separates, single or
   * double quotes group (no shell: no pipes, variables or redirections).
   */
  public static java.util.List<String> commandLine(String command) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inToken = false;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inToken = true;
      } else if (Character.isWhitespace(c)) {
        if (inToken) {
          out.add(cur.toString());
          cur.setLength(0);
          inToken = false;
        }
      } else {
        cur.append(c);
        inToken = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("exec: unbalanced " + quote + " in the command line");
    }
    if (inToken) {
      out.add(cur.toString());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("exec: needs a command line");
    }
    return out;
  }

  @Override
  public String toString() {
    // Stream URLs may carry credentials (rtsp://user:pass@host/...): never print them.
    if (kind == Kind.RTSP || kind == Kind.HTTP) {
      return location.replaceAll("//[^/@]*@", "//***@");
    }
    if (kind == Kind.EXEC) {
      return "exec:" + location;
    }
    return kind == Kind.TEST ? "test:" + location : location;
  }
}
