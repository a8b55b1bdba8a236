package org.mecam.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CameraBrokerAclTest {
  @Test
  void mirrorsThePatternLinesOfTheAclFile() throws IOException {
    Path acl = Path.of("../../mosquitto/acl");
    List<String> patterns = Files.readAllLines(acl).stream()
        .filter(l -> l.startsWith("pattern "))
        .map(l -> l.substring("pattern ".length()).replace("%u", "front-door"))
        .toList();
    List<String> entries = CameraBrokerAcl.entriesFor("front-door").stream().map(Object::toString).toList();
    assertThat(patterns).isNotEmpty();
    assertThat(entries).containsAll(patterns);
    // Nothing beyond the acl file (HA's birth topic is a pattern line there too now).
    assertThat(entries.stream().filter(e -> !patterns.contains(e)).toList()).isEmpty();
  }

  @Test
  void neverGrantsTheCameraItsOwnCommandsOrOtherCameras() {
    for (CameraBrokerAcl.Entry e : CameraBrokerAcl.entriesFor("porch")) {
      if (e.action() == CameraBrokerAcl.Action.WRITE) {
        assertThat(e.topic()).doesNotContain("/set").isNotEqualTo("mecam/v1/cameras/porch/#").contains("porch");
      }
      if (e.topic().startsWith("mecam/")) {
        assertThat(e.topic()).contains("/porch").doesNotContain("+");
      }
      assertThat(e.topic()).isNotEqualTo("#").doesNotStartWith("$");
    }
  }

  @Test
  void dynsecTypesAndRoleName() {
    assertThat(CameraBrokerAcl.Action.WRITE.dynsecAclTypes()).containsExactly("publishClientSend");
    assertThat(CameraBrokerAcl.Action.READ.dynsecAclTypes()).contains("subscribePattern");
    assertThat(CameraBrokerAcl.roleName("porch")).isEqualTo("camera-porch");
    assertThat(CameraBrokerAcl.entriesFor("porch").get(1).aclFileLine())
        .isEqualTo("topic write mecam/v1/cameras/porch/state");
  }

  @Test
  void refusesInvalidIds() {
    assertThatThrownBy(() -> CameraBrokerAcl.entriesFor("+")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CameraBrokerAcl.entriesFor("svc-web-ui")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CameraBrokerAcl.roleName("a/#")).isInstanceOf(IllegalArgumentException.class);
  }
}
