package org.mecam.agent.media;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.List;
import java.util.logging.Logger;
import org.mecam.agent.config.FreeSpaceLimit;
import org.mecam.agent.service.Alerts;
import org.mecam.events.Alert;

/**
 * Keeps the media disk from filling up: below the warning level it raises {@code disk-nearly-full};
 * only below the (lower) drop level does it delete media that was never uploaded, oldest first,
 * announcing {@code media-dropped}. The warning always goes out before anything is dropped.
 */
public final class DiskSpacePolicy {
  private static final Logger LOG = Logger.getLogger(DiskSpacePolicy.class.getName());

  /** Free and total bytes of the media disk. */
  public interface Disk {
    long usable() throws IOException;

    long total() throws IOException;

    static Disk of(FileStore store) {
      return new Disk() {
        @Override
        public long usable() throws IOException {
          return store.getUsableSpace();
        }

        @Override
        public long total() throws IOException {
          return store.getTotalSpace();
        }
      };
    }
  }

  private final MediaStore media;
  private final Disk disk;
  private final FreeSpaceLimit warnBelow;
  private final FreeSpaceLimit dropBelow;
  private final Alerts alerts;
  private volatile long lastUsable = -1;

  public DiskSpacePolicy(MediaStore media, Disk disk, FreeSpaceLimit warnBelow, FreeSpaceLimit dropBelow,
      Alerts alerts) {
    this.media = media;
    this.disk = disk;
    this.warnBelow = warnBelow;
    this.dropBelow = dropBelow;
    this.alerts = alerts;
  }

  public static Disk diskOf(MediaStore media) throws IOException {
    return Disk.of(Files.getFileStore(media.root()));
  }

  /** Checks once; returns how many media files it had to drop. */
  public synchronized int check() {
    try {
      long total = disk.total();
      long usable = disk.usable();
      lastUsable = usable;
      long warn = warnBelow.bytesOf(total);
      long drop = dropBelow.bytesOf(total);
      if (usable < warn || usable < drop) {
        alerts.raise(Alert.Kind.DISK_NEARLY_FULL, Alert.Severity.SYSTEM, "media disk has " + mb(usable)
            + " MB free (warning below " + mb(warn) + " MB); " + media.count() + " media file(s) wait for upload");
      } else {
        alerts.clear(Alert.Kind.DISK_NEARLY_FULL, "media disk has " + mb(usable) + " MB free again");
      }
      if (usable >= drop) {
        return 0;
      }
      int dropped = 0;
      List<String> oldest = media.oldestFirst();
      for (String id : oldest) {
        if (disk.usable() >= drop) {
          break;
        }
        if (media.delete(id)) {
          dropped++;
          LOG.warning("dropped media " + id + " before upload: media disk below " + mb(drop) + " MB free");
        }
      }
      lastUsable = disk.usable();
      if (dropped > 0) {
        alerts.announce(Alert.Kind.MEDIA_DROPPED, Alert.Severity.SYSTEM, dropped
            + " media file(s) deleted before upload because the media disk was full (" + mb(lastUsable)
            + " MB free)");
      }
      return dropped;
    } catch (IOException e) {
      LOG.warning("cannot check media disk space: " + e.getMessage());
      return 0;
    }
  }

  public long lastUsable() {
    return lastUsable;
  }

  private static long mb(long bytes) {
    return bytes / (1024 * 1024);
  }
}
