package org.mecam.bench.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mecam.events.Command;
import org.mecam.events.Ids;
import org.mecam.events.MotionEvent;
import org.mecam.events.Payload;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.testkit.FreePort;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.fcm.LoopbackFcmService;
import org.mecam.testkit.push.LoopbackPushService;

/**
 * Measures the packaged notifier end to end: motion event published on the broker → first push
 * request received by the loopback push service (p50/p99 with 1 and 100 subscribers, against the bare
 * broker hop), and sustained Web Push and FCM fan-out per second (against the same libraries used
 * bare, without the service). Run: {@code java -jar bench/notifier/target/notifier-bench.jar}.
 */
public final class NotifierBench {
  private static final String PASSWORD = "bench-password";

  private final MqttTestClient client;
  private final LoopbackPushService push;
  private final LoopbackFcmService fcm;
  private final BlockingQueue<MqttTestClient.Received> replies;
  private final Map<String, Long> firstPush = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> pushCount = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();

  private final NotifierProcess notifier;
  /** Publishes the timed motion events (TCP_NODELAY, see {@link BenchPublisher}). */
  private final BenchPublisher events;
  private final String brokerUrl;
  /** Results by name, for the verdicts at the end. */
  private final Map<String, Double> results = new LinkedHashMap<>();

  private NotifierBench(MqttTestClient client, LoopbackPushService push, LoopbackFcmService fcm,
      NotifierProcess notifier, String brokerUrl) throws Exception {
    this.notifier = notifier;
    this.brokerUrl = brokerUrl;
    this.events = new BenchPublisher(brokerUrl, true);
    this.client = client;
    this.push = push;
    this.fcm = fcm;
    this.replies = client.subscribe(Topics.NOTIFIER_REPLIES);
    push.recordPushes(false);
    fcm.recordMessages(false);
    push.onPush(p -> {
      String topic = p.headers().get("Topic");
      if (p.status() != 201 || topic == null || !topic.startsWith("motion-")) {
        return;
      }
      String camera = topic.substring("motion-".length());
      firstPush.putIfAbsent(camera, p.nanoTime());
      pushCount.computeIfAbsent(camera, k -> new AtomicInteger()).incrementAndGet();
      CountDownLatch l = waiting.get(camera);
      if (l != null) {
        l.countDown();
      }
    });
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    boolean webPushOnly = Arrays.asList(args).contains("--webpush-only");
    boolean fcmOnly = Arrays.asList(args).contains("--fcm-only");
    Path jar = Path.of(System.getProperty("notifier.jar", "notifier-service/target/quarkus-app/quarkus-run.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " not found: run ./mvnw -B -q -pl notifier-service package -DskipTests");
    }
    Path work = Files.createTempDirectory("notifier-bench");
    try (MqttBroker broker = MqttBroker.builder().allowAnonymous(true).user("svc-notifier", PASSWORD).start();
        LoopbackPushService push = LoopbackPushService.start(4);
        LoopbackFcmService fcm = LoopbackFcmService.start(16)) {
      Path account = fcm.writeServiceAccount(work, "mecam-bench");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("MECAM_MQTT_URL", broker.url());
      env.put("MECAM_MQTT_PASSWORD", PASSWORD);
      env.put("MECAM_DATA_DIR", work.resolve("notifier-data").toString());
      env.put("MECAM_NOTIFIER_FCM_CREDENTIALS_FILE", account.toString());
      env.put("MECAM_NOTIFIER_FCM_API_URL", fcm.apiUrl());
      // A benchmark sends far more than a person should get: lift the per-device limit and cool-down.
      env.put("MECAM_NOTIFIER_RATE_LIMIT_PER_HOUR", "100000000");
      env.put("MECAM_NOTIFIER_COOLDOWN", "PT0S");
      System.out.println("environment of the notifier process: " + env);
      try (NotifierProcess notifier = new NotifierProcess(jar, FreePort.find(), env, work.resolve("notifier.log"));
          MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
        notifier.awaitReady(Duration.ofSeconds(60));
        NotifierBench bench = new NotifierBench(client, push, fcm, notifier, broker.url());
        String load0 = loadAverage();
        System.out.println("load average at start: " + load0);
        if (webPushOnly) {
          bench.webPush(quick ? 3 : 10);
        } else if (fcmOnly) {
          bench.fcm(quick ? 3 : 10, account);
        } else {
          bench.run(quick, account);
        }
        bench.verdicts(load0);
        bench.events.close();
      }
    }
    System.out.println("work dir (notifier log): " + work);
  }

  private void run(boolean quick, Path account) throws Exception {
    int samples1 = quick ? 100 : 400;
    int samples100 = quick ? 40 : 150;
    double[] nagle = brokerHop(100, false);
    System.out.printf(Locale.ROOT, "broker hop, Paho default socket (Nagle on), n=100: p50 %.2f ms, p99 %.2f ms"
        + " (PUBACK then PUBLISH: the second write waits for the delayed TCP ACK)%n", nagle[0], nagle[1]);
    double[] hop = brokerHop(samples1, true);
    System.out.printf(Locale.ROOT, "baseline broker hop (publish -> subscriber, TCP_NODELAY), n=%d: p50 %.2f ms,"
        + " p99 %.2f ms%n", samples1, hop[0], hop[1]);

    List<LoopbackPushService.Subscription> one = subscribe(1);
    latency(30, 1);
    double[] l1 = latency(samples1, 1);
    System.out.printf(Locale.ROOT, "event -> first push, 1 subscriber, n=%d: p50 %.2f ms, p99 %.2f ms%n", samples1,
        l1[0], l1[1]);
    results.put("first push p99, 1 subscriber (ms)", l1[1]);
    command("clear_all", Map.of("what", "all"));

    List<LoopbackPushService.Subscription> hundred = subscribe(100);
    latency(10, 100);
    double[] l100 = latency(samples100, 100);
    System.out.printf(Locale.ROOT, "event -> first push, 100 subscribers, n=%d: p50 %.2f ms, p99 %.2f ms"
        + " (last of 100: p50 %.2f ms)%n", samples100, l100[0], l100[1], l100[2]);
    results.put("first push p99, 100 subscribers (ms)", l100[1]);
    command("clear_all", Map.of("what", "all"));

    webPush(quick ? 3 : 10);
    command("clear_all", Map.of("what", "all"));

    fcm(quick ? 3 : 10, account);
  }

  private void fcm(int fcmRounds, Path account) throws Exception {
    int tokens = 2000;
    List<String> toks = registerFcm(tokens);
    double f = fanOut(fcmRounds, tokens, () -> fcm.acceptedCount());
    double bareF = BareFcm.sendsPerSecond(fcm, account, toks, Math.min(fcmRounds, 3));
    System.out.printf(Locale.ROOT, "FCM fan-out, %d tokens x %d events: %.0f sends/s"
        + " (bare firebase-admin sendEach: %.0f/s, ratio %.2f)%n", tokens, fcmRounds, f, bareF, f / bareF);
    results.put("FCM fan-out (sends/s)", f);
  }

  /** One line per acceptance target: the measured value, the target, met or missed. */
  private void verdicts(String loadAtStart) {
    System.out.println();
    System.out.println("== verdicts (issue 6 acceptance) ==");
    verdict("first push p99, 1 subscriber (ms)", 50, false);
    verdict("first push p99, 100 subscribers (ms)", 50, false);
    verdict("web push fan-out (pushes/s)", 1000, true);
    verdict("FCM fan-out (sends/s)", 2000, true);
    String loadNow = loadAverage();
    System.out.printf(Locale.ROOT, "load average: %s at start, %s at end (2 cores)%n", loadAtStart, loadNow);
    if (parse(loadAtStart) > 1.5 || parse(loadNow) > 3) {
      System.out.println("WARNING: the machine was busy with other work; absolute rates and latencies are not"
          + " reliable. Re-run on a quiet machine (load average below 1).");
    }
  }

  private void verdict(String name, double target, boolean atLeast) {
    Double v = results.get(name);
    if (v == null) {
      return;
    }
    boolean met = atLeast ? v >= target : v <= target;
    System.out.printf(Locale.ROOT, "%-40s %10.1f   target %s %.0f   %s%n", name, v, atLeast ? ">=" : "<=", target,
        met ? "MET" : "MISSED");
  }

  private static double parse(String load) {
    try {
      return Double.parseDouble(load);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void webPush(int rounds) throws Exception {
    int subs = 1000;
    List<LoopbackPushService.Subscription> many = subscribe(subs);
    // The peer shares the 2 cores with the service: check VAPID and headers on every push, decrypt 1 in 50.
    push.decryptOneIn(50);
    latency(2, subs);
    int decrypted0 = push.decryptedCount();
    int accepted0 = push.acceptedCount();
    double wp = fanOut(rounds, subs, () -> push.acceptedCount());
    System.out.printf(Locale.ROOT, "  the push peer verified VAPID and headers of all %d pushes and decrypted %d of them,"
        + " every one successfully (a failed decryption is answered 400 and would leave the fan-out incomplete)%n",
        push.acceptedCount() - accepted0, push.decryptedCount() - decrypted0);
    double bareWp = BareWebPush.pushesPerSecond(push, many, Math.min(rounds, 3));
    System.out.printf(Locale.ROOT, "web push fan-out, %d subscribers x %d events: %.0f pushes/s"
        + " (bare library + JDK client: %.0f/s, ratio %.2f)%n", subs, rounds, wp, bareWp, wp / bareWp);
    results.put("web push fan-out (pushes/s)", wp);
  }

  /** Publish (QoS 1) → the same client receives it, one at a time: the broker's share of the latency. */
  private double[] brokerHop(int n, boolean noDelay) throws Exception {
    String topic = "mecam/v1/bench/hop";
    long[] ns = new long[n];
    try (BenchPublisher hop = new BenchPublisher(brokerUrl, noDelay)) {
      hop.subscribe(topic);
      for (int i = 0; i < n + 20; i++) {
        long t0 = System.nanoTime();
        hop.publish(topic, ("x" + i).getBytes(StandardCharsets.UTF_8));
        if (hop.received().poll(5, TimeUnit.SECONDS) == null) {
          throw new IllegalStateException("hop lost");
        }
        if (i >= 20) {
          ns[i - 20] = System.nanoTime() - t0;
        }
      }
    }
    return percentiles(ns);
  }

  /** Publishes one motion event at a time; returns p50 and p99 of first-push latency and p50 of the last. */
  private double[] latency(int n, int subscribers) throws Exception {
    long[] first = new long[n];
    long[] last = new long[n];
    for (int i = 0; i < n; i++) {
      String camera = "b" + Ids.newId().substring(0, 12);
      CountDownLatch done = new CountDownLatch(subscribers);
      waiting.put(camera, done);
      long t0 = System.nanoTime();
      events.publish(Topics.cameraEvents(camera), PayloadCodec.encode(motion(camera)));
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("only " + (subscribers - done.getCount()) + " of " + subscribers
            + " pushes for " + camera);
      }
      last[i] = System.nanoTime() - t0;
      first[i] = firstPush.get(camera) - t0;
      waiting.remove(camera);
      Thread.sleep(5);
    }
    double[] p = percentiles(first);
    return new double[] {p[0], p[1], percentiles(last)[0]};
  }

  /** Publishes {@code rounds} events back to back; returns deliveries per second until all arrived. */
  private double fanOut(int rounds, int targets, java.util.function.IntSupplier accepted) throws Exception {
    int before = accepted.getAsInt();
    int expected = rounds * targets;
    long cpu0 = notifier.cpuMillis();
    long peers0 = benchCpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      String camera = "f" + Ids.newId().substring(0, 12);
      events.publish(Topics.cameraEvents(camera), PayloadCodec.encode(motion(camera)));
    }
    long deadline = t0 + TimeUnit.SECONDS.toNanos(300);
    while (accepted.getAsInt() - before < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("fan-out incomplete: " + (accepted.getAsInt() - before) + "/" + expected);
      }
      Thread.sleep(2);
    }
    double rate = expected / ((System.nanoTime() - t0) / 1e9);
    double cpuPerSend = (notifier.cpuMillis() - cpu0) / (double) expected;
    double peersPerSend = (benchCpuNanos() - peers0) / 1e6 / expected;
    System.out.printf(Locale.ROOT, "  CPU per delivery: notifier %.3f ms (so %.0f/s if it had both cores to itself),"
        + " loopback peers + harness %.3f ms; load average now %s%n", cpuPerSend, 2000 / cpuPerSend, peersPerSend,
        loadAverage());
    return rate;
  }

  /** CPU time of this JVM (the loopback peers and the harness), in nanoseconds. */
  private static long benchCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private List<LoopbackPushService.Subscription> subscribe(int n) throws Exception {
    List<LoopbackPushService.Subscription> subs = new ArrayList<>();
    Map<String, Object>[] args = newArgs(n);
    for (int i = 0; i < n; i++) {
      LoopbackPushService.Subscription s = push.newSubscription();
      subs.add(s);
      args[i] = Map.of("endpoint", s.endpoint(), "p256dh", s.p256dh(), "auth", s.auth(), "device_name",
          "bench " + i, "user", "bench" + (i % 10));
    }
    commands("webpush_subscribe", args);
    return subs;
  }

  private List<String> registerFcm(int n) throws Exception {
    List<String> tokens = new ArrayList<>();
    Map<String, Object>[] args = newArgs(n);
    for (int i = 0; i < n; i++) {
      String t = "bench-" + Ids.newId();
      tokens.add(t);
      args[i] = Map.of("token", t, "platform", i % 2 == 0 ? "android" : "ios", "device_name", "phone " + i, "user",
          "bench" + (i % 10));
    }
    commands("fcm_register", args);
    return tokens;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object>[] newArgs(int n) {
    return new Map[n];
  }

  /** Sends commands pipelined and waits for every reply. */
  private void commands(String action, Map<String, Object>[] args) throws Exception {
    Set<String> pending = ConcurrentHashMap.newKeySet();
    for (Map<String, Object> a : args) {
      String id = Ids.newId();
      pending.add(id);
      client.publish(Topics.NOTIFIER_COMMANDS, PayloadCodec.encode(new Command(Payload.SCHEMA, id, Instant.now(),
          action, a)), 1, false);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!pending.isEmpty()) {
      MqttTestClient.Received r = replies.poll(1, TimeUnit.SECONDS);
      if (r != null) {
        JsonNode reply = PayloadCodec.mapper().readTree(r.payload());
        if (pending.remove(reply.path("commandId").asText()) && !reply.path("ok").asBoolean()) {
          throw new IllegalStateException(action + " refused: " + reply);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(pending.size() + " " + action + " replies missing");
      }
    }
  }

  private void command(String action, Map<String, Object> args) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object>[] one = new Map[] {new HashMap<>(args)};
    commands(action, one);
  }

  private static MotionEvent motion(String camera) {
    Instant now = Instant.now();
    return new MotionEvent(Payload.SCHEMA, Ids.newId(), camera, now, Ids.newId(), MotionEvent.Phase.START, 0.9,
        List.of(), true, now, null);
  }

  private static double[] percentiles(long[] ns) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return new double[] {s[(int) Math.floor(0.50 * (s.length - 1))] / 1e6,
        s[(int) Math.ceil(0.99 * (s.length - 1))] / 1e6};
  }
}
