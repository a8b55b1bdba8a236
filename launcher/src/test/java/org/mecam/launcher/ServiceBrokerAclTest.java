package org.mecam.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mecam.launcher.ServiceBrokerAcl.Access;
import org.mecam.launcher.ServiceBrokerAcl.Grant;

/** The service ACLs come from the repository's {@code mosquitto/acl}, parsed strictly. */
class ServiceBrokerAclTest {
  @Test
  void theBundledAclIsTheRepositoryFile() throws IOException {
    Path acl = Path.of(System.getProperty("basedir", ".")).resolve("../mosquitto/acl").normalize();
    try (InputStream in = ServiceBrokerAcl.class.getResourceAsStream(ServiceBrokerAcl.RESOURCE)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(acl));
    }
    assertThat(ServiceBrokerAcl.services()).contains("svc-uploader", "svc-notifier", "svc-web-ui", "svc-admin");
    assertThat(ServiceBrokerAcl.grants("svc-uploader")).contains(new Grant(Access.READ, "mecam/v1/cameras/+/media"),
        new Grant(Access.WRITE, "mecam/v1/uploader/#"));
  }

  @Test
  void parsesUserSectionsAndSkipsPatternLines() {
    Map<String, List<Grant>> users = ServiceBrokerAcl.parse("""
        # comment
        pattern write mecam/v1/cameras/%u/events
        user a
        topic read x/#
        topic write y
        topic z

        pattern read q/%u
        user b
        topic read $SYS/#
        """);
    assertThat(users.keySet()).containsExactly("a", "b");
    assertThat(users.get("a")).containsExactly(new Grant(Access.READ, "x/#"), new Grant(Access.WRITE, "y"),
        new Grant(Access.READ, "z"), new Grant(Access.WRITE, "z"));
    assertThat(users.get("b")).containsExactly(new Grant(Access.READ, "$SYS/#"));
    assertThatThrownBy(() -> ServiceBrokerAcl.parse("topic read x")).hasMessageContaining("outside a user");
    assertThatThrownBy(() -> ServiceBrokerAcl.parse("user a\ntopic deny x")).hasMessageContaining("unknown access");
  }

  @Test
  void onlyTheWebUiGetsTheDynsecControlTopics() {
    for (String s : ServiceBrokerAcl.services()) {
      boolean control = ServiceBrokerAcl.dynsecGrants(s).stream().anyMatch(g -> g.topic().startsWith("$CONTROL"));
      assertThat(control).as(s).isEqualTo(s.equals(ServiceBrokerAcl.WEB_UI));
    }
  }
}
