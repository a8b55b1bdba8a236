package org.mecam.mediapull;

import java.io.IOException;
import java.util.Optional;

/**
 * Looks up a camera's registered media address (in the services: the camera registry of
 * {@code libs/cameras}); an unknown camera has no address and nothing is fetched for it.
 */
@FunctionalInterface
public interface CameraDirectory {
  /** The registered endpoint of {@code cameraId}, or empty when the camera is not registered. */
  Optional<CameraEndpoint> find(String cameraId) throws IOException;
}
