package org.mecam.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.secrets.SecretFiles;

/** {@link FirstStart} creates only what is missing, repairs what drifted and never prints secrets. */
class FirstStartTest {
  @TempDir
  Path tmp;

  private FirstStart.Dirs dirs() {
    return new FirstStart.Dirs(tmp.resolve("b"), tmp.resolve("u"), tmp.resolve("n"), tmp.resolve("w"));
  }

  private Map<Path, String> snapshot() throws IOException {
    Map<Path, String> all = new HashMap<>();
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.put(f, Files.readString(f));
      }
    }
    return all;
  }

  @Test
  void secondRunChangesNothing() throws IOException {
    List<String> first = FirstStart.run(dirs(), List.of());
    assertThat(first).isNotEmpty();
    Map<Path, String> before = snapshot();
    assertThat(FirstStart.run(dirs(), List.of("other.name"))).isEmpty();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void reportNamesFilesButNoSecret() throws IOException {
    List<String> lines = FirstStart.run(dirs(), List.of());
    String all = String.join("\n", lines);
    for (Path secret : List.of(tmp.resolve("u/mqtt.password"), tmp.resolve("n/link.key"),
        tmp.resolve("u/archive-read.token"), tmp.resolve("b/svc-admin.password"))) {
      assertThat(all).contains(secret.toString()).doesNotContain(Files.readString(secret).strip());
    }
  }

  @Test
  void aRecreatedPasswordFileIsReKeyedInTheBrokerConfigKeepingRuntimeClients() throws IOException {
    FirstStart.run(dirs(), List.of());
    Path dynsec = tmp.resolve("b/dynamic-security.json");
    ObjectMapper json = new ObjectMapper();
    // A camera the broker added at runtime must survive.
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dynsec.toFile());
    root.withArray("clients").addObject().put("username", "front-door").put("password", "x").put("salt", "y")
        .put("iterations", 101);
    SecretFiles.write(dynsec, json.writeValueAsString(root));
    Files.delete(tmp.resolve("n/mqtt.password"));

    List<String> lines = FirstStart.run(dirs(), List.of());

    assertThat(lines).anyMatch(l -> l.contains("re-keyed broker client svc-notifier"));
    JsonNode after = json.readTree(dynsec.toFile());
    String newPassword = Files.readString(tmp.resolve("n/mqtt.password")).strip();
    JsonNode notifier = null;
    for (JsonNode c : after.get("clients")) {
      if (c.get("username").asText().equals("svc-notifier")) {
        notifier = c;
      }
    }
    assertThat(DynsecFile.verifies(notifier, newPassword)).isTrue();
    assertThat(after.get("clients").toString()).contains("front-door");
  }

  @Test
  void sharedSecretsThatDifferAreRefusedNotOverwritten() throws IOException {
    FirstStart.run(dirs(), List.of());
    SecretFiles.write(tmp.resolve("w/link.key"), SecretFiles.randomToken(32));
    String notifierKey = Files.readString(tmp.resolve("n/link.key"));
    assertThatThrownBy(() -> FirstStart.run(dirs(), List.of())).hasMessageContaining("link signing key")
        .hasMessageContaining("differ");
    assertThat(Files.readString(tmp.resolve("n/link.key"))).isEqualTo(notifierKey);
  }

  @Test
  void aMissingHalfOfASharedSecretIsCopiedFromTheOtherHalf() throws IOException {
    FirstStart.run(dirs(), List.of());
    String token = Files.readString(tmp.resolve("u/archive-read.token"));
    Files.delete(tmp.resolve("w/archive-read.token"));
    FirstStart.run(dirs(), List.of());
    assertThat(Files.readString(tmp.resolve("w/archive-read.token"))).isEqualTo(token);
  }

  @Test
  void hashesAreWhatMosquittoCtrlWrites() {
    // From Debian's mosquitto 2.0.11: `mosquitto_ctrl dynsec init f admin secretpw`.
    JsonNode client = new ObjectMapper().createObjectNode()
        .put("password", "nQqqoSNOGg5UBjTAc6To+HGje0I18XU9H7BJhfDmyzUJ+bcLiZAVGwVkGnz4TlAyMYHN1bAwje3lrJSHy/I4ow==")
        .put("salt", "V62bPrqyEwyS3LME").put("iterations", 101);
    assertThat(DynsecFile.verifies(client, "secretpw")).isTrue();
    assertThat(DynsecFile.verifies(client, "secretpx")).isFalse();
  }
}
