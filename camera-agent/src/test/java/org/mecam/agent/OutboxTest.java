package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.mqtt.Outbox;

/** The durable outbox keeps order across restarts and forgets only confirmed messages. */
class OutboxTest {
  @TempDir
  Path dir;

  @Test
  void keepsOrderAcrossARestartAndRemovesOnlyConfirmedMessages() throws Exception {
    Outbox o = new Outbox(dir);
    for (int i = 0; i < 5; i++) {
      o.append("t/" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), i == 4);
    }
    Outbox.Entry first = o.peek(0);
    assertThat(first.topic()).isEqualTo("t/0");
    o.remove(first.seq());
    // A crash leaves a half-written temporary file behind: it must not be delivered.
    Files.writeString(dir.resolve("0000000000000000099.msg.tmp"), "- t/x\n{");
    Outbox again = new Outbox(dir);
    assertThat(again.size()).isEqualTo(4);
    assertThat(again.pending()).extracting(Outbox.Entry::topic).containsExactly("t/1", "t/2", "t/3", "t/4");
    assertThat(again.pending().get(3).retained()).isTrue();
    assertThat(new String(again.peek(0).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
    long seq = again.append("t/5", new byte[0], false);
    assertThat(seq).isGreaterThan(again.pending().get(3).seq());
    assertThat(Files.exists(dir.resolve("0000000000000000099.msg.tmp"))).isFalse();
  }

  @Test
  void peekWaitsForAMessage() throws Exception {
    Outbox o = new Outbox(dir);
    assertThat(o.peek(10)).isNull();
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(50);
        o.append("late", new byte[] {1}, false);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    assertThat(o.peek(5_000).topic()).isEqualTo("late");
    t.join();
  }
}
