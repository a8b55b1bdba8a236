package org.mecam.testkit.drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** files.get with alt=media on the fake: whole, by range, and on the download path the client uses. */
class DriveFakeMediaTest {
  @TempDir
  Path dir;

  DriveFake fake;
  HttpClient http = HttpClient.newHttpClient();
  String access;
  byte[] content = new byte[300_000];
  FakeFile file;

  @BeforeEach
  void start() throws Exception {
    fake = DriveFake.start(dir).acceptRefreshToken("1//r");
    new Random(1).nextBytes(content);
    file = fake.put("f.mecam", List.of(), Map.of(), content, Instant.now());
    HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(fake.tokenUrl()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=1//r")).build(),
        HttpResponse.BodyHandlers.ofString());
    access = token.body().replaceAll(".*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  HttpResponse<byte[]> get(String path, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.rootUrl() + path + file.id() + "?alt=media"))
        .header("Authorization", "Bearer " + access);
    if (range != null) {
      b.header("Range", range);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesTheWholeContentOnBothPaths() throws Exception {
    for (String path : List.of("drive/v3/files/", "download/drive/v3/files/")) {
      HttpResponse<byte[]> r = get(path, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(content);
    }
    assertThat(fake.mediaReads()).isEqualTo(2);
  }

  @Test
  void servesOneRangeAs206AndRefusesOnePastTheEndWith416() throws Exception {
    HttpResponse<byte[]> mid = get("download/drive/v3/files/", "bytes=100-1099");
    assertThat(mid.statusCode()).isEqualTo(206);
    assertThat(mid.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/300000");
    assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(content, 100, 1100));

    HttpResponse<byte[]> open = get("download/drive/v3/files/", "bytes=299000-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 299_000, 300_000));

    HttpResponse<byte[]> suffix = get("download/drive/v3/files/", "bytes=-10");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 299_990, 300_000));

    HttpResponse<byte[]> past = get("download/drive/v3/files/", "bytes=300000-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */300000");
    assertThat(fake.mediaRanges()).containsExactly("bytes=100-1099", "bytes=299000-", "bytes=-10", "bytes=300000-");
  }

  @Test
  void answers404ForADeletedFile() throws Exception {
    assertThat(fake.delete(file.id())).isTrue();
    assertThat(get("download/drive/v3/files/", null).statusCode()).isEqualTo(404);
    assertThat(fake.delete(file.id())).isFalse();
  }
}
