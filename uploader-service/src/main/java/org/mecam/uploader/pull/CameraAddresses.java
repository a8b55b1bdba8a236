package org.mecam.uploader.pull;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import org.mecam.cameras.CameraRegistry;
import org.mecam.cameras.RegisteredCamera;
import org.mecam.mediapull.CameraDirectory;
import org.mecam.mediapull.CameraEndpoint;
import org.mecam.uploader.config.UploaderConfig;

/**
 * The uploader's view of the camera registry ({@code mecam.uploader.cameras-file}, written by the web
 * UI): each camera's media address and token, re-read when the file changes. No file, no cameras.
 */
@ApplicationScoped
public class CameraAddresses implements CameraDirectory {
  private final CameraRegistry registry;

  public CameraAddresses(UploaderConfig config) {
    this.registry = config.camerasFile().map(CameraRegistry::new).orElse(null);
    if (registry == null) {
      Log.warn("no camera registry configured (mecam.uploader.cameras-file): every media announcement is refused");
    }
  }

  @Override
  public Optional<CameraEndpoint> find(String cameraId) throws IOException {
    if (registry == null) {
      return Optional.empty();
    }
    try {
      Optional<RegisteredCamera> c = registry.find(cameraId);
      return c.map(r -> new CameraEndpoint(r.id(), r.mediaUrl(), r.mediaToken()));
    } catch (RuntimeException e) {
      throw new IOException("camera registry unreadable: " + e.getMessage(), e);
    }
  }
}
