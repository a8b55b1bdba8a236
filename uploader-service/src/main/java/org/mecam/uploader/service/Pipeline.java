package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.store.UploaderStore;

/** Runs the uploader's workers: pullers that stage media from the cameras, and uploaders. */
@ApplicationScoped
public class Pipeline {
  private final UploaderStore store;
  private final UploaderConfig config;
  private final MediaIntake intake;
  private WorkerPool stagers;

  public Pipeline(UploaderStore store, UploaderConfig config, MediaIntake intake) {
    this.store = store;
    this.config = config;
    this.intake = intake;
  }

  /** Resets work a crash interrupted and starts the workers. */
  public synchronized void start() {
    try {
      int reset = store.resetInFlight();
      if (reset > 0) {
        Log.infof("%d item(s) interrupted by the last shutdown are due again", reset);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the queue: " + e.getMessage(), e);
    }
    stagers = new WorkerPool("stager", () -> false, config::stageParallelism, config.pollInterval());
    stagers.start(config.stageParallelism());
    intake.onNew(stagers::wake);
  }

  void stop(@Observes @Priority(1) ShutdownEvent event) {
    if (stagers != null) {
      stagers.stop();
    }
  }
}
