package org.mecam.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.mqtt.MqttSettings;
import org.mecam.mqtt.PahoTransport;
import org.mecam.mqtt.PinnedCaSocketFactory;
import org.mecam.secrets.SecretFiles;

/**
 * libs/mqtt's TLS on the real broker: {@link PahoTransport} over {@code ssl://} with the pinned CA
 * connects; a certificate from the right CA that does not name the dialled host is refused (host
 * name verification is on) with a message saying so; TLS sockets keep TCP_NODELAY.
 */
@Timeout(60)
class PahoTlsTest {
  @TempDir
  Path tmp;

  private static List<String> capture(Logger log) {
    List<String> lines = new CopyOnWriteArrayList<>();
    log.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        lines.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    return lines;
  }

  @Test
  void connectsWithThePinnedCaAndRefusesACertificateForAnotherHost() throws Exception {
    FirstStart.Dirs dirs = new FirstStart.Dirs(tmp.resolve("b"), tmp.resolve("u"), tmp.resolve("n"), tmp.resolve("w"));
    FirstStart.run(dirs, List.of());
    String password = Files.readString(dirs.broker().resolve("svc-admin.password")).strip();
    Path ca = dirs.webui().resolve("broker-ca.crt");
    try (DynsecBroker broker = DynsecBroker.start(dirs.broker(), tmp.resolve("s1"), false, false)) {
      PahoTransport t = PahoTransport.start(MqttSettings.builder(broker.tlsUrl(), "tls-ok")
          .credentials("svc-admin", password.toCharArray()).caFile(ca).build());
      try {
        assertThat(t.awaitConnected(Duration.ofSeconds(15))).isTrue();
      } finally {
        t.close();
      }
    }

    // Same CA, but the certificate names only other.example: dialling localhost must fail.
    LocalCa.Issued wrongName = LocalCa.load(dirs.broker().resolve("ca.crt"), dirs.broker().resolve("ca.key"))
        .issueServer("elsewhere", Set.of("other.example"));
    SecretFiles.write(dirs.broker().resolve("server.key"), wrongName.keyPem());
    FirstStart.writePublic(dirs.broker().resolve("server.crt"), wrongName.certificatePem());
    List<String> log = capture(Logger.getLogger(PahoTransport.class.getName()));
    try (DynsecBroker broker = DynsecBroker.start(dirs.broker(), tmp.resolve("s2"), false, false)) {
      PahoTransport t = PahoTransport.start(MqttSettings.builder(broker.tlsUrl(), "tls-wrong-name")
          .credentials("svc-admin", password.toCharArray()).caFile(ca).build());
      try {
        await().atMost(Duration.ofSeconds(15)).until(() -> log.stream().anyMatch(l -> l.contains("TLS refused")));
        assertThat(log).anyMatch(l -> l.contains("does not name the host in the broker URL"));
        assertThat(t.isConnected()).isFalse();
      } finally {
        t.close();
      }
    }
  }

  @Test
  void aCaWithAPlainTcpUrlIsRefused() {
    String pem = LocalCa.create("x").certificatePem();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> MqttSettings.builder("tcp://localhost:1883", "c").caPem(pem).build())
        .hasMessageContaining("not ssl://");
  }

  @Test
  void tlsSocketsHaveNagleOff() throws Exception {
    PinnedCaSocketFactory f = PinnedCaSocketFactory.fromPem(LocalCa.create("x").certificatePem(), "x");
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket unconnected = f.createSocket();
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket layered = f.createSocket(plain, "localhost", server.getLocalPort(), true)) {
      assertThat(unconnected.getTcpNoDelay()).isTrue();
      assertThat(layered.getTcpNoDelay()).isTrue();
    }
  }
}
