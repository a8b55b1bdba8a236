package org.mecam.bench.uploader;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.drive.DriveFake;

/**
 * Benchmarks the packaged uploader end to end against a real Mosquitto, a camera HTTP server and the
 * local folder or the Drive fake: media-ready → stored latency of snapshots (p50/p99), clip throughput
 * against a plain copy of the same bytes, the accuracy of the bandwidth throttle, and (phase
 * {@code archive}) reading a stored clip back through {@code /internal/archive} against a plain file read.
 * Usage: {@code -Dsnapshots=200 -Dclips=10 -DclipMb=20 -DthrottleMbps=8 -DthrottleSeconds=30
 * -Dphases=latency,throttle,archive -Dreads=5}.
 */
public final class UploaderBench {
  private static final String ARCHIVE_TOKEN = "bench-archive-read-token-0123456789";
  private static final String API_TOKEN = "bench-service-api-token-0123456789";
  private static final Pattern MEDIA_ID = Pattern.compile("\"mediaId\":\"([^\"]+)\"");
  private static final Pattern STAGE = Pattern.compile("\"stage\":\"([a-z]+)\"");

  private final Path root;
  private final Path jar;
  private final MqttBroker broker;
  private final MqttTestClient client;
  private final HttpServer camera;
  private final Path cameraDir;
  private final OwnerKeyPair owner = OwnerKeyPair.generate();
  private final Map<String, Long> staged = new ConcurrentHashMap<>();
  private final Map<String, Long> uploaded = new ConcurrentHashMap<>();
  private final Random random = new Random(1);

  private UploaderBench(Path root, Path jar) throws IOException {
    this.root = root;
    this.jar = jar;
    this.cameraDir = root.resolve("camera");
    Files.createDirectories(cameraDir);
    broker = MqttBroker.builder().allowAnonymous(true).start();
    client = MqttTestClient.connect(broker.url(), null, null);
    BlockingQueue<MqttTestClient.Received> q = client.subscribe(Topics.ALL_MEDIA_STORED);
    Thread t = new Thread(() -> {
      while (true) {
        try {
          MqttTestClient.Received r = q.take();
          long now = System.nanoTime();
          Matcher id = MEDIA_ID.matcher(r.payload());
          Matcher st = STAGE.matcher(r.payload());
          if (id.find() && st.find()) {
            (st.group(1).equals("staged") ? staged : uploaded).putIfAbsent(id.group(1), now);
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "stored-listener");
    t.setDaemon(true);
    t.start();
    // As the agent's MediaServer: answers with TCP_NODELAY (else each pull waits ~40 ms for a delayed ACK).
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    camera = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    camera.createContext("/media/", ex -> {
      try (ex) {
        Path f = cameraDir.resolve(ex.getRequestURI().getPath().substring(7));
        ex.sendResponseHeaders(200, Files.size(f));
        try (OutputStream out = ex.getResponseBody()) {
          Files.copy(f, out);
        }
      }
    });
    camera.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread worker = new Thread(r, "camera");
      worker.setDaemon(true); // or exec:java waits for them after the report
      return worker;
    }));
    camera.start();
    Files.writeString(root.resolve("recipients"), owner.recipient().toText() + "\n");
    // The camera registry (libs/cameras' format): the only address the uploader pulls from.
    Path cameras = root.resolve("cameras.json");
    Files.writeString(cameras, "{\"schema\":1,\"cameras\":[{\"id\":\"bench-cam\",\"name\":\"Bench\","
        + "\"mediaUrl\":\"http://127.0.0.1:" + camera.getAddress().getPort() + "\",\"mediaToken\":\""
        + "bench-media-token-0123456789abcdefghijklmnop\",\"addedAt\":\"2026-12-03T17:00:00Z\"}]}\n");
    Files.setPosixFilePermissions(cameras, PosixFilePermissions.fromString("rw-------"));
  }

  public static void main(String[] args) throws Exception {
    Path base = Path.of(System.getProperty("mecam.root", ".")).toAbsolutePath().normalize();
    while (base != null && !Files.isDirectory(base.resolve("uploader-service"))) {
      base = base.getParent();
    }
    if (base == null) {
      throw new IllegalStateException("run from inside the mecam repository (or set -Dmecam.root)");
    }
    // -Djar=<quarkus-run.jar> benchmarks another build (e.g. the previous version, for before/after).
    Path jar = System.getProperty("jar") != null ? Path.of(System.getProperty("jar"))
        : base.resolve("uploader-service/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build the uploader first: ./mvnw -pl uploader-service package -DskipTests");
    }
    Path root = base.resolve("bench/uploader/target/run");
    deleteTree(root);
    Files.createDirectories(root);
    UploaderBench b = new UploaderBench(root, jar);
    int snapshots = Integer.getInteger("snapshots", 200);
    int clips = Integer.getInteger("clips", 10);
    int clipMb = Integer.getInteger("clipMb", 20);
    double throttleMbps = Double.parseDouble(System.getProperty("throttleMbps", "8"));
    int throttleSeconds = Integer.getInteger("throttleSeconds", 30);
    List<String> report = new ArrayList<>();
    report.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load "
        + Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + ", " + System.getProperty("java.version"));

    try (DriveFake drive = DriveFake.start(root.resolve("drive-fake"))) {
      drive.acceptRefreshToken("1//bench");
      String phases = System.getProperty("phases", "latency,throttle");
      for (String backend : phases.contains("latency") ? List.of("local", "drive") : List.<String>of()) {
        Map<String, String> env = b.env(backend, drive, 0);
        try (Proc p = b.start(env, backend)) {
          b.warmUp(10);
          double[] lat = b.snapshotLatency(snapshots);
          report.add(String.format("%s snapshot (50 KB) media-ready→uploaded: p50 %.1f ms, p99 %.1f ms; "
              + "→staged p50 %.1f ms (n=%d)", backend, lat[0], lat[1], lat[2], snapshots));
          double[] tp = b.clipThroughput(p, clips, clipMb);
          report.add(String.format("%s clips %d × %d MiB: uploader %.1f MiB/s (pull+verify+encrypt+store), "
              + "plain copy %.1f MiB/s, ratio %.2f; uploader CPU %.2f s per GiB", backend, clips, clipMb, tp[0],
              tp[1], tp[0] / tp[1], tp[2]));
        }
      }
      for (String backend : phases.contains("archive") ? List.of("local", "drive") : List.<String>of()) {
        Map<String, String> env = b.env(backend, drive, 0);
        env.put("MECAM_MQTT_CLIENT_ID", "bench-uploader-archive-" + backend);
        env.put("MECAM_DATA_DIR", root.resolve("data-archive-" + backend).toString());
        env.put("MECAM_UPLOADER_LOCAL_FOLDER", root.resolve("archive-read-" + backend).toString());
        try (Proc p = b.start(env, "archive-" + backend)) {
          report.add(b.archiveRead(p, backend, drive, clipMb, Integer.getInteger("reads", 5)));
        }
      }
      long bytes = (long) (throttleMbps * 1_000_000 / 8 * throttleSeconds);
      Map<String, String> env = b.env("local", drive, 0);
      if (phases.contains("throttle")) {
      env.put("MECAM_MQTT_CLIENT_ID", "bench-uploader-throttled");
      env.put("MECAM_DATA_DIR", root.resolve("data-throttled").toString());
      try (Proc p = b.start(env, "throttled")) {
        // Same-size clip unthrottled first: its staged→uploaded time is the pipeline's own overhead
        // (encrypt, fsync, report), which the throttled clip pays too.
        double[] free = b.throttled(p, bytes);
        b.command("set_settings", Map.of("bandwidthMbps", throttleMbps));
        double[] limited = b.throttled(p, bytes);
        double raw = limited[0] * 8 / 1e6 / limited[1];
        double transfer = limited[0] * 8 / 1e6 / limited[2];
        report.add(String.format("throttle %.1f Mbit/s (set live by set_settings), %d s clip: %.3f Mbit/s over "
            + "the transfer to the archive (%+.2f %%); %.3f Mbit/s staged→uploaded incl. encryption and "
            + "reporting (%+.2f %%); same clip unthrottled: transfer %.2f s", throttleMbps, throttleSeconds,
            transfer, (transfer / throttleMbps - 1) * 100, raw, (raw / throttleMbps - 1) * 100, free[2]));
      }
      }
    } finally {
      b.close();
    }
    System.out.println("\n=== uploader benchmark ===");
    report.forEach(System.out::println);
  }

  /**
   * Reading a stored clip back through {@code GET /internal/archive/{mediaId}} (whole, streamed) against
   * reading the same stored file straight from disk, interleaved, best of {@code reads}; and the latency
   * of a 64 KiB range request in the middle of the file (what a player's seek costs).
   */
  private String archiveRead(Proc p, String backend, DriveFake drive, int mb, int reads) throws Exception {
    MediaReady m = media("a" + System.nanoTime() + ".mp4", mb << 20, MediaKind.CLIP);
    publishAndWait(m, Duration.ofMinutes(5));
    Path stored;
    if (backend.equals("drive")) {
      stored = drive.mediaFiles().stream().filter(f -> m.id().equals(f.appProperties().get("mecamMediaId")))
          .findFirst().orElseThrow().content();
    } else {
      try (var files = Files.walk(root.resolve("archive-read-local"))) {
        stored = files.filter(f -> f.getFileName().toString().endsWith(".mecam")).findFirst().orElseThrow();
      }
    }
    long size = Files.size(stored);
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + p.port() + "/internal/archive/" + m.id());
    String auth = "Bearer " + ARCHIVE_TOKEN;
    double bestEndpoint = Double.MAX_VALUE;
    double bestPlain = Double.MAX_VALUE;
    double bestDirect = Double.MAX_VALUE;
    byte[] buf = new byte[64 * 1024];
    String fileId = null;
    String access = null;
    if (backend.equals("drive")) {
      fileId = stored.getFileName().toString();
      String tokenJson = http.send(HttpRequest.newBuilder(URI.create(drive.tokenUrl()))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=1//bench")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      access = tokenJson.replaceAll("(?s).*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
    for (int i = 0; i < reads; i++) {
      if (fileId != null) {
        // Baseline for Drive: the same bytes straight from the fake, without the uploader in between.
        long d0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(drive.rootUrl()
            + "download/drive/v3/files/" + fileId + "?alt=media")).header("Authorization", "Bearer " + access).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = r.body()) {
          for (int k; (k = in.read(buf)) > 0; ) {
            n += k;
          }
        }
        if (r.statusCode() != 200 || n != size) {
          throw new IllegalStateException("direct read from the fake: HTTP " + r.statusCode());
        }
        bestDirect = Math.min(bestDirect, (System.nanoTime() - d0) / 1e9);
      }
      long t0 = System.nanoTime();
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      long n = 0;
      try (InputStream in = r.body()) {
        for (int k; (k = in.read(buf)) > 0; ) {
          n += k;
        }
      }
      if (r.statusCode() != 200 || n != size) {
        throw new IllegalStateException("archive read: HTTP " + r.statusCode() + ", " + n + " of " + size + " bytes");
      }
      bestEndpoint = Math.min(bestEndpoint, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      n = 0;
      try (InputStream in = Files.newInputStream(stored)) {
        for (int k; (k = in.read(buf)) > 0; ) {
          n += k;
        }
      }
      bestPlain = Math.min(bestPlain, (System.nanoTime() - t0) / 1e9);
    }
    List<Double> seeks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long from = size / 2 + i * 4096L;
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
          .header("Range", "bytes=" + from + "-" + (from + 65_535)).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 206 || r.body().length != 65_536) {
        throw new IllegalStateException("range read: HTTP " + r.statusCode());
      }
      seeks.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(seeks);
    double mib = size / 1048576.0;
    String direct = fileId == null ? "" : String.format("; the same file straight from the Drive fake (no "
        + "uploader hop) %.1f MiB/s, ratio %.2f", mib / bestDirect, bestDirect / bestEndpoint);
    return String.format("%s archive read of a %.1f MiB stored clip: endpoint %.1f MiB/s, plain file read %.1f "
        + "MiB/s (best of %d, interleaved), ratio %.2f%s; 64 KiB range p50 %.1f ms, p99 %.1f ms (n=50)", backend,
        mib, mib / bestEndpoint, mib / bestPlain, reads, bestPlain / bestEndpoint, direct, pct(seeks, 50),
        pct(seeks, 99));
  }

  private Map<String, String> env(String backend, DriveFake drive, double mbps) throws IOException {
    Path data = root.resolve("data-" + backend + "-" + (mbps > 0 ? "t" : "n"));
    Map<String, String> env = new HashMap<>();
    env.put("MECAM_MQTT_URL", broker.url());
    env.put("MECAM_MQTT_USERNAME", "");
    env.put("MECAM_MQTT_CLIENT_ID", "bench-uploader-" + backend + (mbps > 0 ? "-t" : ""));
    env.put("MECAM_DATA_DIR", data.toString());
    env.put("MECAM_UPLOADER_RECIPIENTS_FILE", root.resolve("recipients").toString());
    env.put("MECAM_UPLOADER_CAMERAS_FILE", root.resolve("cameras.json").toString());
    env.put("MECAM_UPLOADER_LOCAL_FOLDER", root.resolve("archive-" + backend).toString());
    env.put("MECAM_UPLOADER_BACKEND", backend);
    env.put("MECAM_UPLOADER_POLL_INTERVAL", "200ms");
    // The service token of /api/... (issue 12 #8), presented when the queue is read.
    Path apiToken = root.resolve("api.token");
    if (!Files.exists(apiToken)) {
      Files.writeString(apiToken, API_TOKEN);
      Files.setPosixFilePermissions(apiToken, PosixFilePermissions.fromString("rw-------"));
    }
    env.put("MECAM_API_TOKEN_FILE", apiToken.toString());
    Path archiveToken = root.resolve("archive-read.token");
    if (!Files.exists(archiveToken)) {
      Files.writeString(archiveToken, ARCHIVE_TOKEN);
      Files.setPosixFilePermissions(archiveToken, PosixFilePermissions.fromString("rw-------"));
    }
    env.put("MECAM_UPLOADER_ARCHIVE_TOKEN_FILE", archiveToken.toString());
    if (mbps > 0) {
      env.put("MECAM_UPLOADER_BANDWIDTH_MBPS", Double.toString(mbps));
    }
    if (backend.equals("drive")) {
      Path secret = root.resolve("client-secret");
      Path token = data.resolve("secrets/drive-token");
      Files.createDirectories(token.getParent());
      Files.writeString(secret, "bench-secret");
      Files.writeString(token, "1//bench");
      for (Path f : List.of(secret, token)) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
      env.put("MECAM_UPLOADER_DRIVE_CLIENT_ID", "bench.apps.googleusercontent.com");
      env.put("MECAM_UPLOADER_DRIVE_CLIENT_SECRET_FILE", secret.toString());
      env.put("MECAM_UPLOADER_DRIVE_TOKEN_FILE", token.toString());
      env.put("MECAM_UPLOADER_DRIVE_ROOT_URL", drive.rootUrl());
      env.put("MECAM_UPLOADER_DRIVE_TOKEN_URI", drive.tokenUrl());
    }
    return env;
  }

  /** A running uploader process. */
  private record Proc(Process process, int port) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private Proc start(Map<String, String> env, String name) throws Exception {
    int port = FreePort.find();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
    // -Djfr=<dir> records a JFR profile of each uploader process (profile settings) into that folder.
    if (System.getProperty("jfr") != null) {
      Files.createDirectories(Path.of(System.getProperty("jfr")));
      cmd.add("-XX:StartFlightRecording=settings=profile,filename="
          + Path.of(System.getProperty("jfr")).resolve("uploader-" + name + ".jfr").toAbsolutePath());
    }
    cmd.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    pb.redirectErrorStream(true);
    pb.redirectOutput(root.resolve("uploader-" + name + ".log").toFile());
    Process p = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < end) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new Proc(p, port);
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new IllegalStateException("uploader did not become ready; see " + root.resolve("uploader-" + name + ".log"));
  }

  private MediaReady media(String name, int size, MediaKind kind) throws Exception {
    byte[] b = new byte[size];
    random.nextBytes(b);
    // The agent's layout: <day>/<media id>.<mp4|jpg>, announced relative to its media directory.
    String id = Ids.newId();
    String rel = "2026-12-03/" + id + (kind == MediaKind.CLIP ? ".mp4" : ".jpg");
    Path f = cameraDir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.write(f, b);
    Instant t = Instant.now();
    return new MediaReady(Payload.SCHEMA, id, "bench-cam", t, Ids.newId(), kind, rel,
        "http://127.0.0.1:" + camera.getAddress().getPort() + "/media/" + rel,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)), size,
        kind == MediaKind.CLIP ? "video/mp4" : "image/jpeg", t, t);
  }

  private long publishAndWait(MediaReady m, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    client.publish(Topics.cameraMedia(m.camera()), PayloadCodec.encode(m), 1, false);
    long end = t0 + timeout.toNanos();
    while (!uploaded.containsKey(m.id())) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("media " + m.id() + " not uploaded in " + timeout);
      }
      Thread.sleep(1);
    }
    return t0;
  }

  private void warmUp(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      publishAndWait(media("w" + System.nanoTime() + ".jpg", 50_000, MediaKind.SNAPSHOT), Duration.ofSeconds(60));
    }
  }

  /** p50 and p99 of publish → uploaded, and p50 of publish → staged, in ms. */
  private double[] snapshotLatency(int n) throws Exception {
    List<Double> up = new ArrayList<>();
    List<Double> st = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MediaReady m = media("s" + System.nanoTime() + ".jpg", 50_000, MediaKind.SNAPSHOT);
      long t0 = publishAndWait(m, Duration.ofSeconds(60));
      up.add((uploaded.get(m.id()) - t0) / 1e6);
      st.add((staged.getOrDefault(m.id(), uploaded.get(m.id())) - t0) / 1e6);
    }
    Collections.sort(up);
    Collections.sort(st);
    return new double[] {pct(up, 50), pct(up, 99), pct(st, 50)};
  }

  /** Uploader MiB/s for all clips from first publish to last uploaded, and plain copy MiB/s of the same files. */
  private double[] clipThroughput(Proc p, int clips, int mb) throws Exception {
    List<MediaReady> list = new ArrayList<>();
    for (int i = 0; i < clips; i++) {
      list.add(media("c" + System.nanoTime() + ".mp4", mb << 20, MediaKind.CLIP));
    }
    // Baseline: copy the same bytes to a folder with fsync, as the archive would hold them.
    Path copyDir = root.resolve("plain-copy");
    Files.createDirectories(copyDir);
    long c0 = System.nanoTime();
    for (MediaReady m : list) {
      Path target = copyDir.resolve(Path.of(m.path()).getFileName());
      Files.copy(cameraDir.resolve(m.path()), target);
      try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
    double copySeconds = (System.nanoTime() - c0) / 1e9;
    deleteTree(copyDir);
    Duration cpu0 = p.process().toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    long t0 = System.nanoTime();
    for (MediaReady m : list) {
      client.publish(Topics.cameraMedia(m.camera()), PayloadCodec.encode(m), 1, false);
    }
    long end = t0 + TimeUnit.MINUTES.toNanos(10);
    while (!list.stream().allMatch(m -> uploaded.containsKey(m.id()))) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("clips not uploaded in 10 minutes");
      }
      Thread.sleep(5);
    }
    long last = list.stream().mapToLong(m -> uploaded.get(m.id())).max().orElseThrow();
    double seconds = (last - t0) / 1e9;
    double mib = (double) clips * mb;
    Duration cpu1 = p.process().toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    double cpuPerGib = (cpu1.minus(cpu0).toMillis() / 1000.0) / (mib / 1024);
    return new double[] {mib / seconds, mib / copySeconds, cpuPerGib};
  }

  /** Sends a command and waits for its reply. */
  private void command(String action, Map<String, Object> args) throws Exception {
    BlockingQueue<MqttTestClient.Received> replies = client.subscribe(Topics.UPLOADER_REPLIES);
    org.mecam.events.Command c = new org.mecam.events.Command(Payload.SCHEMA, Ids.newId(), Instant.now(), action, args);
    client.publish(Topics.UPLOADER_COMMANDS, PayloadCodec.encode(c), 1, false);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      MqttTestClient.Received r = replies.poll(1, TimeUnit.SECONDS);
      if (r != null && r.payload().contains(c.id())) {
        if (!r.payload().contains("\"ok\":true")) {
          throw new IllegalStateException("command refused: " + r.payload());
        }
        return;
      }
    }
    throw new IllegalStateException("no reply to " + action);
  }

  /** Ciphertext bytes and seconds between staged and uploaded for one clip of about {@code bytes}. */
  private double[] throttled(Proc p, long bytes) throws Exception {
    MediaReady m = media("t" + System.nanoTime() + ".mp4", (int) bytes, MediaKind.CLIP);
    publishAndWait(m, Duration.ofMinutes(5));
    String queue = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + p.port() + "/api/queue?state=uploaded&limit=10000"))
            .header("Authorization", "Bearer " + API_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    Matcher ct = Pattern.compile("\"mediaId\":\"" + Pattern.quote(m.id()) + "\".*?\"ciphertextSize\":(\\d+)")
        .matcher(queue);
    if (!ct.find()) {
      throw new IllegalStateException("no ciphertext size for " + m.id());
    }
    long ciphertext = Long.parseLong(ct.group(1));
    double seconds = (uploaded.get(m.id()) - staged.get(m.id())) / 1e9;
    // The uploader logs how long the store step (the throttled transfer) took.
    Matcher stored = Pattern.compile(Pattern.quote(m.id()) + ".*stored in (\\d+)\\)")
        .matcher(Files.readString(root.resolve("uploader-throttled.log")));
    double transfer = stored.find() ? Long.parseLong(stored.group(1)) / 1e3 : Double.NaN;
    return new double[] {ciphertext, seconds, transfer};
  }

  private static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private void close() {
    client.close();
    camera.stop(0);
    broker.close();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
