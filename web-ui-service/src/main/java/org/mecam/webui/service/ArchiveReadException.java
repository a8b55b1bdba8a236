package org.mecam.webui.service;

import java.io.IOException;

/**
 * Why stored media could not be read back through the uploader, with the HTTP status the web UI
 * answers for it and a message the owner can act on.
 */
public final class ArchiveReadException extends IOException {
  /** What went wrong, each with the status the web UI answers. */
  public enum Kind {
    /** No archive endpoint is configured (uploader URL or token file missing). */
    NOT_CONFIGURED(503),
    /** The uploader does not know this media id (not stored yet, or removed by retention). */
    NOT_FOUND(404),
    /** The uploader refused the web UI's archive token. */
    REFUSED(502),
    /** The uploader answered, but its storage backend (e.g. Google Drive) is unavailable. */
    BACKEND_UNAVAILABLE(503),
    /** The uploader could not be reached or did not answer in time. */
    UNREACHABLE(503),
    /** The uploader answered something this client does not understand. */
    PROTOCOL(502);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public ArchiveReadException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
