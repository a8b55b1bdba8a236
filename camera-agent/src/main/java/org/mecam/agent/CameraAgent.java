package org.mecam.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.mecam.agent.config.AgentConfig;
import org.mecam.agent.config.AgentOptions;
import org.mecam.agent.config.ConfigDefaults;
import org.mecam.agent.observe.Logging;
import org.mecam.agent.service.Agent;
import picocli.CommandLine;

/** Entry point of the runnable jar: parses and validates the configuration, starts the agent, stops it on SIGTERM. */
public final class CameraAgent {
  private CameraAgent() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    if (code >= 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the CLI; returns the exit code for --help/--version/bad configuration, or blocks until the
   * JVM shuts down (then returns -1).
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    AgentConfig cfg;
    try {
      cfg = parse(args, env, out);
    } catch (UsageExit e) {
      if (e.code != 0) {
        err.println("camera-agent: " + e.getMessage());
        err.println("Run 'camera-agent --help' for the options.");
      }
      return e.code;
    }
    Logging.configure(cfg.logLevel());
    if (cfg.haRemove()) {
      try {
        Agent.removeFromHomeAssistant(cfg, java.time.Duration.ofSeconds(30));
        out.println("camera " + cfg.cameraId() + " removed from Home Assistant");
        return 0;
      } catch (Exception e) {
        err.println("camera-agent: cannot remove camera from Home Assistant: " + e.getMessage());
        return 1;
      }
    }
    Agent agent;
    try {
      agent = Agent.start(cfg, Clock.systemUTC());
    } catch (IOException | RuntimeException e) {
      err.println("camera-agent: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  /** Parses flags, environment and config file into validated settings, or throws with the exit code. */
  public static AgentConfig parse(String[] args, Map<String, String> env, PrintStream out) throws UsageExit {
    ConfigDefaults defaults;
    try {
      Path file = ConfigDefaults.configFileOf(args, env);
      defaults = new ConfigDefaults(env, file);
    } catch (IOException e) {
      throw new UsageExit(2, "--config: " + e.getMessage());
    }
    AgentOptions options = new AgentOptions();
    options.inlineSecretsFrom(defaults);
    CommandLine cl = new CommandLine(options).setDefaultValueProvider(defaults);
    CommandLine.ParseResult result;
    try {
      result = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageExit(2, e.getMessage());
    }
    if (result.isUsageHelpRequested()) {
      cl.usage(out);
      throw new UsageExit(0, "");
    }
    if (result.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      throw new UsageExit(0, "");
    }
    Set<String> names = cl.getCommandSpec().options().stream()
        .map(o -> o.longestName().replaceFirst("^--", "")).collect(Collectors.toSet());
    Set<String> unknownKeys = defaults.unknownFileKeys(names);
    if (!unknownKeys.isEmpty()) {
      throw new UsageExit(2, "config file " + defaults.filePath() + ": unknown key(s) " + unknownKeys);
    }
    Set<String> unknownEnv = defaults.unknownEnv(names);
    if (!unknownEnv.isEmpty()) {
      throw new UsageExit(2, "unknown environment variable(s) " + unknownEnv);
    }
    try {
      return options.validate();
    } catch (AgentOptions.InvalidOptionException e) {
      throw new UsageExit(2, e.getMessage());
    }
  }

  /** Ends the CLI early with an exit code (0 after --help, 2 for a configuration error). */
  public static final class UsageExit extends Exception {
    final int code;

    UsageExit(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
