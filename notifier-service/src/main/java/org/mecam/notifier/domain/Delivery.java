package org.mecam.notifier.domain;

/** One pending send of one notification to one device. */
public record Delivery(long id, String notificationId, Channel channel, String address, boolean withImage,
    int attempts) {}
