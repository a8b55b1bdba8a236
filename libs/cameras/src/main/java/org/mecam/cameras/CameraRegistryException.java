package org.mecam.cameras;

/** The camera registry file cannot be read, parsed or written; the message names the file and the problem. */
public final class CameraRegistryException extends RuntimeException {
  public CameraRegistryException(String message) {
    super(message);
  }

  public CameraRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
