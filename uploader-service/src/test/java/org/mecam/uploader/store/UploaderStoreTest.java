package org.mecam.uploader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.events.Ids;
import org.mecam.events.MediaKind;
import org.mecam.events.MediaReady;
import org.mecam.events.Payload;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.domain.Priorities;
import org.mecam.uploader.domain.Schedule;

class UploaderStoreTest {
  @TempDir
  Path dir;
  UploaderStore store;

  @BeforeEach
  void open() throws Exception {
    // Register the driver with this class loader (Quarkus tests in the same JVM registered it with theirs).
    Class.forName("org.sqlite.JDBC");
    store = new UploaderStore(new ServiceConfig() {
      @Override
      public String name() {
        return "uploader";
      }

      @Override
      public Path dataDir() {
        return dir;
      }
    });
  }

  static MediaReady media(MediaKind kind) {
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    return new MediaReady(Payload.SCHEMA, Ids.newId(), "cam", t, Ids.newId(), kind, "/x", "http://h/x",
        "a".repeat(64), 1, "video/mp4", t, t);
  }

  private MediaReady record(MediaKind kind, int cap) throws Exception {
    MediaReady m = media(kind);
    store.record(m, Priorities.of(kind, Schedule.IMMEDIATE), 0, 0, cap);
    return m;
  }

  @Test
  void stagesSnapshotsBeforeClipsAndFifoWithinALevel() throws Exception {
    MediaReady c1 = record(MediaKind.CLIP, 100);
    MediaReady c2 = record(MediaKind.CLIP, 100);
    MediaReady s1 = record(MediaKind.SNAPSHOT, 100);
    MediaReady s2 = record(MediaKind.SNAPSHOT, 100);
    List<String> order = new ArrayList<>();
    Optional<MediaItem> next;
    while ((next = store.claimForStaging(1)).isPresent()) {
      order.add(next.get().mediaId());
    }
    assertThat(order).containsExactly(s1.id(), s2.id(), c1.id(), c2.id());
  }

  @Test
  void recordsAMediaIdOnlyOnce() throws Exception {
    MediaReady m = media(MediaKind.CLIP);
    assertThat(store.record(m, 5, 0, 0, 10)).isEqualTo(UploaderStore.Recorded.NEW);
    assertThat(store.record(m, 5, 0, 0, 10)).isEqualTo(UploaderStore.Recorded.DUPLICATE);
    assertThat(store.list(Optional.empty(), 100)).hasSize(1);
  }

  @Test
  void leavesItemsOnTheCameraBeyondTheCapAndAdmitsThemWhenRoomFrees() throws Exception {
    record(MediaKind.CLIP, 2);
    record(MediaKind.CLIP, 2);
    MediaReady third = media(MediaKind.CLIP);
    assertThat(store.record(third, 5, 0, 0, 2)).isEqualTo(UploaderStore.Recorded.NEW_WAITING);
    assertThat(store.countActive()).isEqualTo(2);
    assertThat(store.promoteWaiting(2)).isZero();
    MediaItem first = store.claimForStaging(1).orElseThrow();
    store.markFailed(first.mediaId(), "gone", List.of());
    assertThat(store.promoteWaiting(2)).isEqualTo(1);
    assertThat(store.find(third.id()).orElseThrow().state()).isEqualTo(ItemState.RECEIVED);
  }

  @Test
  void itemsInFlightAtACrashAreDueAgainAfterRestart() throws Exception {
    MediaReady m = record(MediaKind.SNAPSHOT, 10);
    store.claimForStaging(1);
    assertThat(store.find(m.id()).orElseThrow().state()).isEqualTo(ItemState.STAGING);
    assertThat(store.resetInFlight()).isEqualTo(1);
    assertThat(store.find(m.id()).orElseThrow().state()).isEqualTo(ItemState.RECEIVED);
  }

  @Test
  void holdsUploadsUntilTheScheduleReleasesThem() throws Exception {
    MediaReady m = media(MediaKind.CLIP);
    store.record(m, Priorities.SCHEDULED, Long.MAX_VALUE, 0, 10);
    store.claimForStaging(1);
    store.markStaged(m.id(), "/s", 1, List.of());
    assertThat(store.claimForUpload(1000)).isEmpty();
    assertThat(store.releaseAll(1000)).isEqualTo(1);
    assertThat(store.claimForUpload(1000)).map(MediaItem::mediaId).contains(m.id());
  }
}
