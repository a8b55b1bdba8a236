package org.mecam.notifier.service;

import java.util.List;
import java.util.function.Consumer;
import org.mecam.notifier.domain.Channel;
import org.mecam.notifier.domain.PushJob;
import org.mecam.notifier.domain.PushOutcome;

/** A way to deliver notifications (Web Push, FCM); sends asynchronously and reports every outcome. */
public interface PushChannel {

  Channel channel();

  /** False when the channel lacks configuration (e.g. no FCM credentials); its deliveries then fail. */
  boolean enabled();

  /** Sends the jobs; {@code done} is called exactly once per job, from any thread. */
  void send(List<PushJob> jobs, Consumer<PushOutcome> done);
}
