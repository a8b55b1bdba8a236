package org.mecam.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one program connects to the broker. Built with {@link #builder}; defaults are chosen for
 * at-least-once delivery: a persistent session (cleanSession=false) under a fixed client id.
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
    int maxInflight) {

  public MqttSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(clientId, "clientId");
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

    public MqttSettings build() {
      return new MqttSettings(url, clientId, username, password, availabilityTopic, persistenceDir,
          keepAlive, maxReconnectDelay, maxInflight);
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "MqttSettings[url=" + url + ", clientId=" + clientId + ", username=" + username + "]";
  }
}
