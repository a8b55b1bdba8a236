package org.mecam.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the whole system on this machine until Ctrl-C: {@code ./run.sh} calls it after building. */
@Command(name = "mecam-run", mixinStandardHelpOptions = true,
    description = "Runs a broker, the uploader, notifier and web UI services and one camera agent on a "
        + "generated scene, all on this machine.")
public final class Launcher implements Callable<Integer> {
  @Option(names = "--repo", defaultValue = ".", description = "The mecam checkout (built). Default: ${DEFAULT-VALUE}")
  Path repo;

  @Option(names = "--data-dir", defaultValue = ".mecam", description = "Data and secrets. Default: ${DEFAULT-VALUE}")
  Path dataDir;

  @Option(names = "--broker-url", description = "Use this broker instead of localhost:1883 or a started one.")
  String brokerUrl;

  @Option(names = "--own-broker", description = "Start a broker even if one answers on localhost:1883.")
  boolean ownBroker;

  @Option(names = "--web-port", defaultValue = "8080", description = "Web UI port. Default: ${DEFAULT-VALUE}")
  int webPort;

  @Option(names = "--camera-id", defaultValue = "demo-cam", description = "Default: ${DEFAULT-VALUE}")
  String cameraId;

  @Option(names = "--source", defaultValue = "test:moving-box",
      description = "Camera source for the agent (a file, rtsp://..., /dev/videoN). Default: ${DEFAULT-VALUE}")
  String source;

  @Override
  public Integer call() throws Exception {
    MecamSystem.Options options = new MecamSystem.Options(repo, dataDir, brokerUrl, ownBroker, webPort,
        8081, 8082, 8090, cameraId, source, false);
    System.out.println("starting mecam (logs in " + options.dataDir().resolve("logs") + ") ...");
    MecamSystem system = MecamSystem.start(options, Duration.ofSeconds(180));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping mecam ...");
      system.close();
      stopped.countDown();
    }));
    System.out.println();
    System.out.println("mecam is running.");
    System.out.println("  web UI:   " + system.webUrl());
    System.out.println("  log in:   user '" + MecamSystem.OWNER + "', password in " + system.ownerPasswordFile());
    System.out.println("  broker:   " + system.brokerUrl());
    System.out.println("  camera:   " + cameraId + " on " + source);
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Launcher()).execute(args));
  }
}
