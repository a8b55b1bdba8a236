package org.mecam.uploader.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.service.RuntimeSettings;

/** Holds the storage backends and hands out the one the settings select ({@code local} or {@code drive}). */
@ApplicationScoped
public class Backends {
  private final RuntimeSettings settings;
  private final LocalFolderBackend local;
  private final DriveBackend drive;

  public Backends(RuntimeSettings settings, UploaderConfig config, ServiceConfig service, DriveBackend drive,
      OpaqueNames names) {
    this.settings = settings;
    this.drive = drive;
    this.local = new LocalFolderBackend(config.local().folder().orElse(service.dataDir().resolve("archive")), names);
  }

  public StorageBackend current() {
    return settings.backend().equals("drive") ? drive : local;
  }

  /** The backend called {@code name} ({@code local} or {@code drive}), whichever is selected now. */
  public StorageBackend named(String name) {
    return name.equals("drive") ? drive : local;
  }

  public LocalFolderBackend local() {
    return local;
  }

  public DriveBackend drive() {
    return drive;
  }
}
