package org.mecam.notifier.domain;

/** Everything a channel needs to send one delivery: the row, the device and the content. */
public record PushJob(Delivery delivery, Device device, Notice notice, String imageUrl) {

  /** The same job on its next attempt. */
  public PushJob nextAttempt() {
    Delivery d = delivery;
    return new PushJob(new Delivery(d.id(), d.notificationId(), d.channel(), d.address(), d.withImage(),
        d.attempts() + 1), device, notice, imageUrl);
  }
}
