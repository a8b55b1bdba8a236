package org.mecam.testkit;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mecam.testkit.MqttBroker.BrokerConfig;

/**
 * Runs HiveMQ CE inside this JVM for machines without Mosquitto; it enforces the same
 * users/anonymous rule through an embedded extension but no ACLs, and it cannot be kill -9'd.
 */
final class EmbeddedHiveMqBackend implements MqttBroker.Backend {

  private final BrokerConfig config;
  private final int port;
  private final Path logFile;
  private EmbeddedHiveMQ hivemq;

  private EmbeddedHiveMqBackend(BrokerConfig config, int port) {
    this.config = config;
    this.port = port;
    this.logFile = config.dir().resolve("broker.log");
  }

  static EmbeddedHiveMqBackend start(BrokerConfig config) {
    if (config.aclFile() != null || config.aclText() != null) {
      MqttBroker.LOG.log(
          Level.WARNING,
          "embedded HiveMQ fallback does not enforce Mosquitto ACLs; topic permissions are NOT"
              + " tested on this machine");
    }
    int port = config.port() != 0 ? config.port() : FreePort.find();
    EmbeddedHiveMqBackend backend = new EmbeddedHiveMqBackend(config, port);
    backend.writeConfig();
    backend.start();
    return backend;
  }

  private void writeConfig() {
    try {
      Path confDir = Files.createDirectories(config.dir().resolve("hivemq-conf"));
      Files.createDirectories(config.dir().resolve("hivemq-data"));
      Files.createDirectories(config.dir().resolve("hivemq-extensions"));
      String persistence = config.persistence() ? "file" : "in-memory";
      String xml =
          "<?xml version=\"1.0\"?>\n"
              + "<hivemq>\n"
              + "  <listeners>\n"
              + "    <tcp-listener><port>" + port + "</port>"
              + "<bind-address>127.0.0.1</bind-address></tcp-listener>\n"
              + "  </listeners>\n"
              + "  <persistence><mode>" + persistence + "</mode></persistence>\n"
              + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
              + "</hivemq>\n";
      Files.writeString(confDir.resolve("config.xml"), xml, StandardCharsets.UTF_8);
      Files.writeString(
          logFile,
          "embedded HiveMQ CE on port " + port + "; its own logging is not captured here\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the HiveMQ config in " + config.dir(), e);
    }
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Path logFile() {
    return logFile;
  }

  @Override
  public boolean isRunning() {
    return hivemq != null;
  }

  @Override
  public void start() {
    EmbeddedExtension auth =
        EmbeddedExtension.builder()
            .withId("mecam-testkit-auth")
            .withName("mecam test kit authenticator")
            .withVersion("1")
            .withPriority(0)
            .withStartPriority(1000)
            .withExtensionMain(new AuthExtension(config.allowAnonymous(), config.users()))
            .build();
    EmbeddedHiveMQ broker =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(config.dir().resolve("hivemq-conf"))
            .withDataFolder(config.dir().resolve("hivemq-data"))
            .withExtensionsFolder(config.dir().resolve("hivemq-extensions"))
            .withEmbeddedExtension(auth)
            // HiveMQ's bootstrap would take over Logback for the whole JVM (and Quarkus tests log
            // through JBoss LogManager); its SLF4J output simply goes to whatever binding exists.
            .withoutLoggingBootstrap()
            .build();
    try {
      broker.start().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting embedded HiveMQ", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("embedded HiveMQ did not start on port " + port, e);
    }
    hivemq = broker;
    MqttBroker.LOG.log(Level.INFO, "embedded HiveMQ CE started on port " + port);
  }

  @Override
  public void stop() {
    EmbeddedHiveMQ broker = hivemq;
    hivemq = null;
    if (broker == null) {
      return;
    }
    try {
      broker.stop().get(60, TimeUnit.SECONDS);
      broker.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("embedded HiveMQ did not stop", e);
    }
  }

  @Override
  public void kill() {
    // A broker inside this JVM cannot be SIGKILLed without killing the test; stopping is the
    // closest we get, so kill -9 tests only mean something on real Mosquitto.
    MqttBroker.LOG.log(Level.WARNING, "embedded HiveMQ cannot be killed; stopping it instead");
    stop();
  }

  @Override
  public void awaitAutosave() {
    // kill() stops HiveMQ gracefully here, which persists everything anyway.
  }

  @Override
  public void killQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // JVM shutdown: nothing left to report to.
    }
  }

  /** Lets in users with the right password, and anonymous clients only when allowed. */
  private static final class AuthExtension implements ExtensionMain {
    private final boolean allowAnonymous;
    private final Map<String, String> users;

    AuthExtension(boolean allowAnonymous, Map<String, String> users) {
      this.allowAnonymous = allowAnonymous;
      this.users = users;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
      SimpleAuthenticator authenticator =
          (authInput, authOutput) -> {
            ConnectPacket connect = authInput.getConnectPacket();
            Optional<String> user = connect.getUserName();
            if (user.isEmpty()) {
              if (allowAnonymous) {
                authOutput.authenticateSuccessfully();
              } else {
                authOutput.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "anonymous refused");
              }
              return;
            }
            String expected = users.get(user.get());
            byte[] given = connect.getPassword().map(EmbeddedHiveMqBackend::bytes).orElse(new byte[0]);
            if (expected != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given)) {
              authOutput.authenticateSuccessfully();
            } else {
              authOutput.failAuthentication(
                  ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
          };
      Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.asReadOnlyBuffer();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
