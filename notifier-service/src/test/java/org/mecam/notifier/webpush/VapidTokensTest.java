package org.mecam.notifier.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VapidTokensTest {
  @TempDir
  Path dir;

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-11-26T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void oneTokenPerOriginIsReusedUntilNearExpiry() {
    MovableClock clock = new MovableClock();
    VapidTokens tokens = new VapidTokens(new VapidKeys(dir.resolve("vapid.key")), clock, "mailto:a@b.org",
        Duration.ofHours(12));
    String first = tokens.authorization("https://push.example.net/send/abc");
    assertThat(tokens.authorization("https://push.example.net/send/other")).isEqualTo(first);
    assertThat(tokens.authorization("https://other.example.net/x")).isNotEqualTo(first);
    clock.now = clock.now.plus(Duration.ofHours(10).plusMinutes(59));
    assertThat(tokens.authorization("https://push.example.net/send/abc")).isEqualTo(first);
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    String renewed = tokens.authorization("https://push.example.net/send/abc");
    assertThat(renewed).isNotEqualTo(first);
    String claims = new String(Base64.getUrlDecoder().decode(renewed.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"aud\":\"https://push.example.net\"").contains("\"sub\":\"mailto:a@b.org\"");
    assertThat(tokens.cachedOrigins()).isEqualTo(2);
  }

  @Test
  void audienceKeepsThePort() {
    assertThat(VapidTokens.origin("http://127.0.0.1:4567/push/x")).isEqualTo("http://127.0.0.1:4567");
  }

  @Test
  void subjectMustBeMailtoOrHttps() {
    VapidKeys keys = new VapidKeys(dir.resolve("vapid.key"));
    assertThatThrownBy(() -> new VapidTokens(keys, Clock.systemUTC(), "owner", Duration.ofHours(12)))
        .hasMessageContaining("mailto:");
    assertThatThrownBy(() -> new VapidTokens(keys, Clock.systemUTC(), "http://x.org", Duration.ofHours(12)))
        .hasMessageContaining("mailto:");
    new VapidTokens(keys, Clock.systemUTC(), "https://x.org/contact", Duration.ofHours(12));
  }

  @Test
  void keyIsGeneratedOnceWithMode600AndRefusedWhenOthersCanRead() throws Exception {
    Path file = dir.resolve("vapid.key");
    String key = new VapidKeys(file).publicKeyBase64Url();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(new VapidKeys(file).publicKeyBase64Url()).isEqualTo(key);
    assertThat(Base64.getUrlDecoder().decode(key)).hasSize(65);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> new VapidKeys(file)).hasMessageContaining("chmod 600");
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-11-26T00:00:00Z");
    assertThat(RetryAfter.parse("5", now)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse("Thu, 26 Nov 2026 00:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("soon", now)).isNull();
    assertThat(RetryAfter.parse(null, now)).isNull();
  }
}
