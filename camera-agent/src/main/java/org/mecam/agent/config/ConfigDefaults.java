package org.mecam.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.mecam.secrets.SecretFileException;
import org.mecam.secrets.SecretFiles;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values not given as flags: first from the environment ({@code MECAM_AGENT_<OPTION>},
 * e.g. {@code MECAM_AGENT_MQTT_URL} for {@code --mqtt-url}), then from the config file (a properties
 * file whose keys are the long option names without dashes, e.g. {@code mqtt-url=tcp://server:1883}).
 *
 * <p>The config file may also hold the secrets themselves, {@code mqtt-password=} and
 * {@code media-token=} ({@link #INLINE_SECRETS}), as the file the web UI hands out does; they are
 * accepted only there, never as flags or environment variables (visible to every local user in
 * {@code ps} or {@code /proc}), and only when the file is readable by its owner alone (0600).
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
  /** Environment prefix for every option. */
  public static final String ENV_PREFIX = "MECAM_AGENT_";

  /** Keys only a 0600 config file may hold: the secrets themselves. */
  public static final Set<String> INLINE_SECRETS = Set.of("mqtt-password", "media-token");

  private final Map<String, String> env;
  private final Properties file;
  private final Path filePath;

  public ConfigDefaults(Map<String, String> env, Path configFile) throws IOException {
    this.env = env;
    this.filePath = configFile;
    this.file = new Properties();
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new IOException("config file " + configFile + " does not exist or is not a file");
      }
      try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        file.load(r);
      }
      // Name every secret the file holds, in a stable order (Set.of iterates differently per JVM).
      String held = INLINE_SECRETS.stream().filter(file::containsKey).sorted().map(k -> k + "=")
          .collect(java.util.stream.Collectors.joining(", "));
      if (!held.isEmpty()) {
        try {
          SecretFiles.checkPermissions(configFile, "config file (it holds " + held + ")",
              SecretFiles.Access.OWNER_ONLY);
        } catch (SecretFileException e) {
          throw new IOException(e.getMessage() + "; it holds a secret and must be readable by its owner only");
        }
      }
    }
  }

  /** An inline secret ({@link #INLINE_SECRETS}) from the config file, or null; never logged. */
  public String inlineSecret(String key) {
    if (!INLINE_SECRETS.contains(key)) {
      throw new IllegalArgumentException(key + " is not an inline secret key");
    }
    String v = file.getProperty(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** The config file named by {@code --config} (either form) in {@code args}, else by the environment. */
  public static Path configFileOf(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String e = env.get(ENV_PREFIX + "CONFIG");
    return e == null || e.isBlank() ? null : Path.of(e);
  }

  /** The environment variable for a long option name such as {@code --mqtt-url}. */
  public static String envName(String longOption) {
    return ENV_PREFIX + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName();
    String fromEnv = env.get(envName(name));
    if (fromEnv != null) {
      return fromEnv;
    }
    String key = name.replaceFirst("^--", "");
    String fromFile = file.getProperty(key);
    return fromFile == null ? null : fromFile.trim();
  }

  /** Keys in the config file that name no option (a typo must stop start-up, not be ignored). */
  public Set<String> unknownFileKeys(Set<String> optionNames) {
    Set<String> unknown = new TreeSet<>();
    for (String k : file.stringPropertyNames()) {
      if ((!optionNames.contains(k) && !INLINE_SECRETS.contains(k)) || k.equals("config")) {
        unknown.add(k);
      }
    }
    return unknown;
  }

  /** MECAM_AGENT_* variables that name no option. */
  public Set<String> unknownEnv(Set<String> optionNames) {
    Set<String> unknown = new TreeSet<>();
    for (String k : env.keySet()) {
      if (k.startsWith(ENV_PREFIX)) {
        String opt = k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
        if (!optionNames.contains(opt)) {
          unknown.add(INLINE_SECRETS.contains(opt)
              ? k + " (a secret is accepted only as " + opt + "= in a 0600 --config file, or as --" + opt + "-file)"
              : k);
        }
      }
    }
    return unknown;
  }

  public Path filePath() {
    return filePath;
  }
}
