package org.mecam.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraRegistryTest {
  static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde"; // 43 chars
  static final String TOKEN2 = "ZZZZEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

  @TempDir Path dir;

  static RegisteredCamera cam(String id, String token) {
    return new RegisteredCamera(id, "Cam " + id, URI.create("http://192.168.1.50:8090"), token,
        Instant.parse("2026-12-03T17:00:00Z"));
  }

  Path writeRaw(String json) throws IOException {
    Path f = dir.resolve("cameras.json");
    Files.writeString(f, json);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void missingFileIsEmpty() {
    CameraRegistry r = new CameraRegistry(dir.resolve("cameras.json"));
    assertThat(r.all()).isEmpty();
    assertThat(r.find("x")).isEmpty();
    assertThat(r.remove("x")).isFalse();
    assertThat(dir.resolve("cameras.json")).doesNotExist();
  }

  @Test
  void readsTheContractExample() throws IOException {
    Path f = writeRaw("{\"schema\":1,\"cameras\":[{\"id\":\"front-door\",\"name\":\"Front door\","
        + "\"mediaUrl\":\"http://192.168.1.50:8090\",\"mediaToken\":\"" + TOKEN + "\","
        + "\"addedAt\":\"2026-12-03T17:00:00Z\"}]}");
    RegisteredCamera c = new CameraRegistry(f).find("front-door").orElseThrow();
    assertThat(c.name()).isEqualTo("Front door");
    assertThat(c.mediaUrl()).isEqualTo(URI.create("http://192.168.1.50:8090"));
    assertThat(c.mediaToken()).isEqualTo(TOKEN);
    assertThat(c.addedAt()).isEqualTo(Instant.parse("2026-12-03T17:00:00Z"));
  }

  @Test
  void putWritesOwnerOnlyFileThatRoundTripsAndKeepsOrder() throws IOException {
    Path f = dir.resolve("sub/cameras.json");
    CameraRegistry r = new CameraRegistry(f);
    r.put(cam("b", TOKEN));
    r.put(cam("a", TOKEN2));
    r.put(new RegisteredCamera("b", "Renamed", URI.create("https://cam-b.lan:8443"), TOKEN,
        Instant.parse("2026-12-03T18:00:00Z")));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    CameraRegistry fresh = new CameraRegistry(f);
    assertThat(fresh.all()).extracting(RegisteredCamera::id).containsExactly("b", "a");
    assertThat(fresh.find("b").orElseThrow().name()).isEqualTo("Renamed");
    assertThat(fresh.all()).isEqualTo(r.all());
    assertThat(r.remove("b")).isTrue();
    assertThat(new CameraRegistry(f).all()).extracting(RegisteredCamera::id).containsExactly("a");
    // No temporary files left behind by the atomic replace.
    try (var s = Files.list(f.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("cameras.json");
    }
  }

  @Test
  void refusesAFileOthersCanRead() throws IOException {
    Path f = dir.resolve("cameras.json");
    new CameraRegistry(f).put(cam("a", TOKEN));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> new CameraRegistry(f).all())
        .isInstanceOf(CameraRegistryException.class)
        .hasMessageContaining("chmod 600");
    assertThatThrownBy(() -> new CameraRegistry(f).put(cam("b", TOKEN)))
        .isInstanceOf(CameraRegistryException.class);
  }

  @Test
  void seesChangesMadeByAnotherInstance() throws IOException {
    Path f = dir.resolve("cameras.json");
    CameraRegistry reader = new CameraRegistry(f);
    CameraRegistry writer = new CameraRegistry(f);
    assertThat(reader.all()).isEmpty();
    writer.put(cam("a", TOKEN));
    assertThat(reader.find("a")).isPresent();
    writer.put(cam("a", TOKEN2));
    assertThat(reader.find("a").orElseThrow().mediaToken()).isEqualTo(TOKEN2);
    writer.remove("a");
    assertThat(reader.find("a")).isEmpty();
    writer.put(cam("c", TOKEN));
    Files.delete(f);
    assertThat(reader.all()).isEmpty();
  }

  @Test
  void reloadsAnInPlaceEditWithTheSameSizeWhenTheTimeChanges() throws IOException {
    Path f = writeRaw(json("a", TOKEN));
    CameraRegistry r = new CameraRegistry(f);
    assertThat(r.find("a").orElseThrow().mediaToken()).isEqualTo(TOKEN);
    FileTime before = Files.getLastModifiedTime(f);
    Files.writeString(f, json("a", TOKEN2)); // same size, same inode
    Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 2000));
    assertThat(r.find("a").orElseThrow().mediaToken()).isEqualTo(TOKEN2);
  }

  @Test
  void strictParse() throws IOException {
    String ok = "\"id\":\"a\",\"name\":\"A\",\"mediaUrl\":\"http://h:1\",\"mediaToken\":\"" + TOKEN
        + "\",\"addedAt\":\"2026-12-03T17:00:00Z\"";
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok + ",\"extra\":1}]}", "unknown field(s) [extra]");
    assertRefused("{\"schema\":1,\"cameras\":[],\"more\":true}", "unknown field(s) [more]");
    assertRefused("{\"schema\":2,\"cameras\":[]}", "'schema' must be 1");
    assertRefused("{\"cameras\":[]}", "'schema' must be 1");
    assertRefused("{\"schema\":1}", "'cameras' must be an array");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("\"id\":\"a\"", "\"id\":\"Bad_Id\"") + "}]}",
        "must match [a-z0-9-]{1,32}");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("\"id\":\"a\"", "\"id\":\"svc-web-ui\"") + "}]}",
        "reserved for services");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("http://h:1", "ftp://h") + "}]}",
        "must start with http:// or https://");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("http://h:1", "http://u:p@h:1") + "}]}",
        "user info");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("http://h:1", "http://h:1/?x=1") + "}]}",
        "query or fragment");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("http://h:1", "not a url") + "}]}",
        "media URL");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace(TOKEN, "short") + "}]}",
        "base64url");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("2026-12-03T17:00:00Z", "yesterday") + "}]}",
        "'addedAt' must be an ISO-8601 instant");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace(",\"name\":\"A\"", "") + "}]}",
        "field 'name' is missing");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok.replace("\"A\"", "7") + "}]}",
        "field 'name' must be a string");
    assertRefused("{\"schema\":1,\"cameras\":[{" + ok + "},{" + ok + "}]}", "listed twice");
    assertRefused("{\"schema\":1,\"schema\":1,\"cameras\":[]}", "not valid JSON");
    assertRefused("{\"schema\":1,\"cameras\":[]} []", "not valid JSON");
    assertRefused("[]", "must hold a JSON object");
    assertRefused("{\"schema\":1,\"cameras\":[3]}", "cameras[0] must be an object");
  }

  @Test
  void parseErrorsNeverQuoteTheToken() throws IOException {
    // Broken JSON right after the token: Jackson would quote the text around the error.
    Path f = writeRaw("{\"schema\":1,\"cameras\":[{\"mediaToken\":\"" + TOKEN + "\" \"id\":\"a\"}]}");
    assertThatThrownBy(() -> new CameraRegistry(f).all())
        .isInstanceOf(CameraRegistryException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).contains("line 1"));
    Path g = writeRaw("{\"schema\":1,\"cameras\":[{\"id\":\"a\",\"name\":\"A\",\"mediaUrl\":\"ftp://x\","
        + "\"mediaToken\":\"" + TOKEN + "\",\"addedAt\":\"2026-12-03T17:00:00Z\"}]}");
    assertThatThrownBy(() -> new CameraRegistry(g).all())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
  }

  @Test
  void brokenFileStaysBrokenUntilFixed() throws IOException {
    Path f = writeRaw("{");
    CameraRegistry r = new CameraRegistry(f);
    assertThatThrownBy(r::all).isInstanceOf(CameraRegistryException.class);
    assertThatThrownBy(r::all).isInstanceOf(CameraRegistryException.class);
    Files.writeString(f, json("a", TOKEN));
    assertThat(r.all()).hasSize(1);
  }

  @Test
  void tokenIsNotInToString() {
    RegisteredCamera c = cam("a", TOKEN);
    assertThat(c.toString()).doesNotContain(TOKEN).contains("<redacted>").contains("id=a");
    assertThat(List.of(c).toString()).doesNotContain(TOKEN);
  }

  @Test
  void constructorChecksEveryField() {
    URI u = URI.create("http://h:1");
    Instant t = Instant.now();
    assertThatThrownBy(() -> new RegisteredCamera("a", " A", u, TOKEN, t)).hasMessageContaining("spaces");
    assertThatThrownBy(() -> new RegisteredCamera("a", "x".repeat(65), u, TOKEN, t)).hasMessageContaining("64");
    assertThatThrownBy(() -> new RegisteredCamera("a", "a\nb", u, TOKEN, t)).hasMessageContaining("control");
    assertThatThrownBy(() -> new RegisteredCamera("a", "A", URI.create("http:///x"), TOKEN, t))
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> new RegisteredCamera("a", "A", u, TOKEN + "!", t)).hasMessageContaining("base64url")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThatThrownBy(() -> new RegisteredCamera("a", "A", u, TOKEN, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void concurrentReadersNeverSeeAHalfWrittenFile() throws Exception {
    Path f = dir.resolve("cameras.json");
    CameraRegistry writer = new CameraRegistry(f);
    writer.put(cam("a", TOKEN));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      CameraRegistry r = new CameraRegistry(f);
      try {
        while (done.getCount() > 0) {
          assertThat(r.find("a")).isPresent();
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    reader.start();
    for (int i = 0; i < 100; i++) {
      writer.put(cam("n" + i, i % 2 == 0 ? TOKEN : TOKEN2));
    }
    done.countDown();
    reader.join();
    assertThat(failure.get()).isNull();
    assertThat(new CameraRegistry(f).all()).hasSize(101);
  }

  private void assertRefused(String json, String message) throws IOException {
    Path f = writeRaw(json);
    assertThatThrownBy(() -> new CameraRegistry(f).all())
        .as(json)
        .isInstanceOf(CameraRegistryException.class)
        .hasMessageContaining(message)
        .hasMessageContaining(f.toString());
  }

  private static String json(String id, String token) {
    return "{\"schema\":1,\"cameras\":[{\"id\":\"" + id + "\",\"name\":\"N\",\"mediaUrl\":\"http://h:1\","
        + "\"mediaToken\":\"" + token + "\",\"addedAt\":\"2026-12-03T17:00:00Z\"}]}";
  }
}
