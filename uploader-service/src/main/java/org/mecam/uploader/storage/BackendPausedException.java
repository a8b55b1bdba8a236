package org.mecam.uploader.storage;

/**
 * The backend cannot take uploads until the owner acts (e.g. re-link Google Drive); items keep their
 * place in the queue and spend no attempt.
 */
public class BackendPausedException extends Exception {
  public BackendPausedException(String reason) {
    super(reason);
  }
}
