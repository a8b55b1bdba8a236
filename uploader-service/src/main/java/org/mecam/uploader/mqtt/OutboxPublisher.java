package org.mecam.uploader.mqtt;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.mecam.servicekit.BrokerConnection;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.service.WorkerPool;
import org.mecam.uploader.store.OutboxMessage;
import org.mecam.uploader.store.UploaderStore;

/**
 * Publishes the outbox: messages written in the same transaction as the state change they report are
 * sent with QoS 1 and deleted only once the broker confirmed them, so none is lost to a crash.
 */
@ApplicationScoped
public class OutboxPublisher {
  private final UploaderStore store;
  private final BrokerConnection broker;
  private final WorkerPool pool;

  public OutboxPublisher(UploaderStore store, BrokerConnection broker, UploaderConfig config) {
    this.store = store;
    this.broker = broker;
    this.pool = new WorkerPool("outbox", this::runOnce, () -> 1, config.pollInterval());
  }

  /** Starts publishing (called once the service is up). */
  public void start() {
    pool.start(1);
  }

  /** Publishes soon: something was added to the outbox. */
  public void wake() {
    pool.wake();
  }

  private boolean runOnce() throws Exception {
    if (!broker.isConnected()) {
      return false;
    }
    List<OutboxMessage> batch = store.outbox(50);
    for (OutboxMessage m : batch) {
      try {
        broker.transport().publishConfirmed(m.topic(), m.payload(), 1, m.retained(), Duration.ofSeconds(10));
      } catch (Exception e) {
        Log.warnf("publish on %s not confirmed yet: %s", m.topic(), e.getMessage());
        return false;
      }
      store.deleteOutbox(m.seq());
    }
    return !batch.isEmpty();
  }

  void stop(@Observes @Priority(5) ShutdownEvent event) {
    pool.stop();
  }
}
