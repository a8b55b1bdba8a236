package org.mecam.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one program connects to the broker. Built with {@link #builder}; defaults are chosen for
 * at-least-once delivery: a persistent session (cleanSession=false) under a fixed client id.
 *
 * <p>TLS: an {@code ssl://host:8883} URL connects over TLS with host name verification on. With
 * {@code caPem} set (the installation's CA, see {@link Builder#caFile}) only that CA is trusted;
 * without it, the JDK's trusted CAs are. A CA with a non-{@code ssl://} URL is refused, because the
 * connection would then silently be unencrypted.
 */
public record MqttSettings(
    String url,
    String clientId,
    String username,
    char[] password,
    String availabilityTopic,
    Path persistenceDir,
    Duration keepAlive,
    Duration maxReconnectDelay,
    int maxInflight,
    String caPem) {

  public MqttSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(clientId, "clientId");
    if (caPem != null && !isTls(url)) {
      throw new IllegalArgumentException("a broker CA is configured but the broker URL " + url
          + " is not ssl://host:port; the connection would not be encrypted");
    }
  }

  /** Whether {@code url} is a TLS broker URL ({@code ssl://}). */
  public static boolean isTls(String url) {
    return url.startsWith("ssl://");
  }

  public static Builder builder(String url, String clientId) {
    return new Builder(url, clientId);
  }

  /** Builder with documented defaults. */
  public static final class Builder {
    private final String url;
    private final String clientId;
    private String username;
    private char[] password;
    private String availabilityTopic;
    private Path persistenceDir;
    // 30 s keeps a home broker's Last Will prompt (1.5 × keep-alive) without chatty pings.
    private Duration keepAlive = Duration.ofSeconds(30);
    // Paho's default is 128 s; a camera system wants to be back within seconds.
    private Duration maxReconnectDelay = Duration.ofSeconds(5);
    private int maxInflight = 100;
    private String caPem;

    private Builder(String url, String clientId) {
      this.url = url;
      this.clientId = clientId;
    }

    public Builder credentials(String username, char[] password) {
      this.username = username;
      this.password = password == null ? null : password.clone();
      return this;
    }

    /** Topic for retained availability: "online" on connect, Last Will "offline", "stopped" on close. */
    public Builder availabilityTopic(String topic) {
      this.availabilityTopic = topic;
      return this;
    }

    /** Where the client keeps in-flight outgoing messages across restarts; null keeps them in memory. */
    public Builder persistenceDir(Path dir) {
      this.persistenceDir = dir;
      return this;
    }

    public Builder keepAlive(Duration d) {
      this.keepAlive = d;
      return this;
    }

    public Builder maxReconnectDelay(Duration d) {
      this.maxReconnectDelay = d;
      return this;
    }

    public Builder maxInflight(int n) {
      this.maxInflight = n;
      return this;
    }

    /** Trust only the CA certificate(s) in this PEM text for an {@code ssl://} URL; null = JDK default. */
    public Builder caPem(String pem) {
      if (pem != null) {
        // Fail at configuration time, with what is wrong, rather than at every connect attempt.
        PinnedCaSocketFactory.fromPem(pem, "the broker CA");
      }
      this.caPem = pem;
      return this;
    }

    /** Trust only the CA certificate(s) in this PEM file for an {@code ssl://} URL. */
    public Builder caFile(Path file) {
      try {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        PinnedCaSocketFactory.fromPem(pem, "broker CA file " + file);
        this.caPem = pem;
        return this;
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read broker CA file " + file + ": " + e, e);
      }
    }

    public MqttSettings build() {
      return new MqttSettings(url, clientId, username, password, availabilityTopic, persistenceDir,
          keepAlive, maxReconnectDelay, maxInflight, caPem);
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "MqttSettings[url=" + url + ", clientId=" + clientId + ", username=" + username
        + (caPem != null ? ", pinned CA" : "") + "]";
  }
}
