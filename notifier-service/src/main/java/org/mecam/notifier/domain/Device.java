package org.mecam.notifier.domain;

import java.time.Instant;

/**
 * A registered receiver: a browser's push subscription (address = endpoint, with p256dh and auth)
 * or an FCM registration token (address = token, with platform).
 */
public record Device(
    Channel channel,
    String address,
    String deviceName,
    String user,
    String platform,
    String p256dh,
    String auth,
    Instant createdAt,
    Instant lastUsedAt,
    long sentCount) {}
