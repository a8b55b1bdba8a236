package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.config.FreeSpaceLimit;
import org.mecam.agent.media.DiskSpacePolicy;
import org.mecam.agent.media.MediaStore;
import org.mecam.agent.mqtt.EventPublisher;
import org.mecam.agent.mqtt.Outbox;
import org.mecam.agent.observe.Metrics;
import org.mecam.agent.service.Alerts;
import org.mecam.events.Alert;
import org.mecam.events.PayloadCodec;

/** The disk-space policy warns first and drops media only below the lower level, oldest first. */
class DiskSpacePolicyTest {
  @TempDir
  Path dir;

  @Test
  void warnsBeforeDroppingAndDropsOldestFirst() throws Exception {
    MediaStore media = new MediaStore(dir.resolve("media"));
    for (int i = 0; i < 4; i++) {
      media.write("m" + i, "jpg", Instant.parse("2026-11-26T00:00:00Z"), new byte[100]);
      java.nio.file.Files.setLastModifiedTime(media.pathOf("m" + i).orElseThrow(),
          java.nio.file.attribute.FileTime.fromMillis(1_000_000L + i * 1000));
    }
    Outbox outbox = new Outbox(dir.resolve("outbox"));
    Alerts alerts = new Alerts(new EventPublisher("cam", outbox, Clock.systemUTC(), new Metrics()), "cam");
    AtomicLong free = new AtomicLong(500);
    DiskSpacePolicy.Disk disk = new DiskSpacePolicy.Disk() {
      @Override
      public long usable() {
        return free.get();
      }

      @Override
      public long total() {
        return 1000;
      }
    };
    DiskSpacePolicy policy = new DiskSpacePolicy(media, disk, FreeSpaceLimit.parse("20%"), FreeSpaceLimit.parse("100"),
        alerts);
    assertThat(policy.check()).isZero();
    assertThat(outbox.size()).isZero();

    free.set(150);
    assertThat(policy.check()).as("between the levels: warn, drop nothing").isZero();
    assertThat(media.count()).isEqualTo(4);
    assertThat(alerts.isActive(Alert.Kind.DISK_NEARLY_FULL)).isTrue();
    policy.check();
    assertThat(outbox.size()).as("the warning is sent once").isEqualTo(1);

    // Below the drop level: each deletion frees 30 bytes in this stand-in disk.
    free.set(40);
    MediaStore spy = media;
    DiskSpacePolicy dropping = new DiskSpacePolicy(spy, new DiskSpacePolicy.Disk() {
      @Override
      public long usable() {
        return free.get() + 30L * (4 - spy.count());
      }

      @Override
      public long total() {
        return 1000;
      }
    }, FreeSpaceLimit.parse("20%"), FreeSpaceLimit.parse("100"), alerts);
    assertThat(dropping.check()).isEqualTo(2);
    assertThat(media.oldestFirst()).containsExactly("m2", "m3");
    List<Alert> sent = new java.util.ArrayList<>();
    for (Outbox.Entry e : outbox.pending()) {
      sent.add(PayloadCodec.decode(e.topic(), e.payload(), Alert.class));
    }
    assertThat(sent).extracting(Alert::kind).containsExactly(Alert.Kind.DISK_NEARLY_FULL, Alert.Kind.MEDIA_DROPPED);
    assertThat(sent.get(1).message()).contains("2 media file(s) deleted before upload");
    assertThat(new String(outbox.pending().get(0).payload(), StandardCharsets.UTF_8)).contains("\"active\":true");

    free.set(900);
    dropping.check();
    assertThat(alerts.isActive(Alert.Kind.DISK_NEARLY_FULL)).isFalse();
  }
}
