package org.mecam.webui.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/** Fans out changes (events, cameras, alerts, stats) to every open dashboard over server-sent events. */
@ApplicationScoped
public class LiveUpdates {

  /** One change: {@code type} names what changed, {@code data} is its new value. */
  public record Update(String type, Object data) {}

  private final BroadcastProcessor<Update> processor = BroadcastProcessor.create();

  /** Called after the change is committed. */
  public void publish(String type, Object data) {
    processor.onNext(new Update(type, data));
  }

  public Multi<Update> stream() {
    return processor;
  }
}
