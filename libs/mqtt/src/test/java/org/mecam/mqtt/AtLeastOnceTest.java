package org.mecam.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.events.MotionEvent;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.store.SqliteDatabase;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;

/**
 * Proves at-least-once consumption with a real broker and a consumer process that is killed between
 * receipt and commit, and between commit and acknowledgement.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AtLeastOnceTest {
  @TempDir Path dir;
  private MqttBroker broker;
  private MqttTestClient publisher;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void startBroker() {
    broker = MqttBroker.builder().allowAnonymous(true).start();
    publisher = MqttTestClient.connect(broker.url(), null, null);
  }

  @AfterEach
  void stopAll() {
    children.forEach(Process::destroyForcibly);
    publisher.close();
    broker.close();
  }

  @Test
  void consumerKilledBetweenReceiptAndCommitGetsTheMessageAgainAndRecordsItOnce() throws Exception {
    Path db = dir.resolve("probe.db");
    Process crashing = startConsumer(db, "before-commit");
    publish("m-1");
    assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(crashing.exitValue()).as("halted by fault injection").isEqualTo(86);
    assertThat(count(db, "SELECT count(*) FROM delivery")).as("nothing committed before the crash").isZero();

    startConsumer(db, "");
    await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "SELECT count(*) FROM event") == 1);
    assertThat(count(db, "SELECT count(*) FROM event WHERE id='m-1'")).isEqualTo(1);
  }

  @Test
  void consumerKilledBetweenCommitAndAckIsRedeliveredAndDeduplicated() throws Exception {
    Path db = dir.resolve("probe.db");
    Process crashing = startConsumer(db, "before-ack");
    publish("m-2");
    assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(crashing.exitValue()).isEqualTo(86);
    assertThat(count(db, "SELECT count(*) FROM event WHERE id='m-2'")).as("committed before crash").isEqualTo(1);

    startConsumer(db, "");
    // The broker never saw an ack, so it delivers m-2 again; the consumer must not double it.
    await().atMost(Duration.ofSeconds(30))
        .until(() -> count(db, "SELECT count(*) FROM delivery WHERE id='m-2'") == 2);
    assertThat(count(db, "SELECT count(*) FROM event WHERE id='m-2'")).isEqualTo(1);
  }

  @Test
  void messagesPublishedWhileTheConsumerIsDownSurviveABrokerKill() throws Exception {
    Path db = dir.resolve("probe.db");
    Process first = startConsumer(db, "");
    first.destroyForcibly().waitFor();
    for (int i = 0; i < 20; i++) {
      publish("q-" + i);
    }
    // Wait until Mosquitto's autosave has written the queue, then kill -9 it.
    broker.awaitAutosave();
    broker.kill();
    broker.restart();
    startConsumer(db, "");
    await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "SELECT count(*) FROM event") == 20);
  }

  private void publish(String id) {
    Instant now = Instant.now();
    MotionEvent e = new MotionEvent(1, id, "cam-a", now, "evt-" + id, MotionEvent.Phase.START, 0.3,
        List.of(), true, now, null);
    publisher.publish(Topics.cameraEvents("cam-a"), PayloadCodec.encode(e), 1, false);
  }

  private Process startConsumer(Path db, String haltAt) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    if (!haltAt.isEmpty()) {
      cmd.add("-Dmecam.fault.halt-at=" + haltAt);
    }
    cmd.addAll(List.of(RecordingConsumerMain.class.getName(), broker.url(), db.toString(), "probe-consumer"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Path log = dir.resolve("consumer-" + children.size() + ".log");
    children.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    List<String> early = new ArrayList<>();
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      early.add(line);
    }
    System.out.println("consumer start-up output: " + early);
    assertThat(line).as("consumer started").isEqualTo("READY");
    Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("consumer: " + l)));
    drain.setDaemon(true);
    drain.start();
    return p;
  }

  private static int count(Path db, String sql) throws Exception {
    if (!db.toFile().exists()) {
      return 0;
    }
    try (SqliteDatabase d = SqliteDatabase.open(db, List.of("db/probe/V1__init.sql"))) {
      return d.read(c -> {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
          rs.next();
          return rs.getInt(1);
        }
      });
    }
  }
}
