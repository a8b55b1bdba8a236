package org.mecam.uploader.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.store.UploaderStore;

/**
 * Runs the uploader's two worker pools — pullers that stage media from the cameras, and uploaders —
 * and wakes them when new work is recorded or settings change.
 */
@ApplicationScoped
public class Pipeline {
  private final UploaderStore store;
  private final UploaderConfig config;
  private final MediaIntake intake;
  private final Stager stager;
  private final Uploader uploader;
  private final RuntimeSettings settings;
  private WorkerPool stagers;
  private WorkerPool uploaders;

  public Pipeline(UploaderStore store, UploaderConfig config, MediaIntake intake, Stager stager,
      Uploader uploader, RuntimeSettings settings) {
    this.store = store;
    this.config = config;
    this.intake = intake;
    this.stager = stager;
    this.uploader = uploader;
    this.settings = settings;
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
    int stageThreads = Math.max(1, Math.min(config.stageParallelism(), WorkerPool.MAX_THREADS));
    stagers = new WorkerPool("stager", stager::runOnce, () -> stageThreads, config.pollInterval());
    uploaders = new WorkerPool("uploader", uploader::runOnce, settings::parallelism, config.pollInterval());
    stagers.start(stageThreads);
    uploaders.start(WorkerPool.MAX_THREADS);
    intake.onNew(stagers::wake);
    stager.onStaged(uploaders::wake);
    settings.onChange(s -> wake());
  }

  /** Wakes every worker (new settings, a command). */
  public void wake() {
    if (stagers != null) {
      stagers.wake();
      uploaders.wake();
    }
  }

  void stop(@Observes @Priority(1) ShutdownEvent event) {
    if (stagers != null) {
      stagers.stop();
      uploaders.stop();
    }
  }
}
