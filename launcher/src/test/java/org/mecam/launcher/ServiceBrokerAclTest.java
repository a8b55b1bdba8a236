package org.mecam.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code mosquitto/acl}'s service sections (used with a plain acl_file broker and proven on Mosquitto
 * by {@code MosquittoAclTest}) are exactly {@link ServiceBrokerAcl}'s, which the dynamic-security
 * roles are generated from: editing one without the other fails here.
 */
class ServiceBrokerAclTest {
  @Test
  void aclFileServiceSectionsEqualTheCode() throws IOException {
    Path acl = Path.of(System.getProperty("basedir", ".")).resolve("../mosquitto/acl").normalize();
    Map<String, StringBuilder> sections = new LinkedHashMap<>();
    StringBuilder current = null;
    for (String raw : Files.readAllLines(acl)) {
      String line = raw.strip();
      if (line.startsWith("user ")) {
        current = new StringBuilder(line).append('\n');
        sections.put(line.substring(5).strip(), current);
      } else if (line.startsWith("topic ") && current != null) {
        current.append(line.replaceAll("\\s+", " ")).append('\n');
      } else if (line.startsWith("pattern ")) {
        current = null;
      }
    }
    assertThat(sections.keySet()).containsExactlyElementsOf(ServiceBrokerAcl.services());
    for (String service : ServiceBrokerAcl.services()) {
      assertThat(sections.get(service).toString()).as(service).isEqualTo(ServiceBrokerAcl.aclFileSection(service));
    }
  }

  @Test
  void onlyTheWebUiGetsTheDynsecControlTopics() {
    for (String s : ServiceBrokerAcl.services()) {
      boolean control = ServiceBrokerAcl.dynsecGrants(s).stream().anyMatch(g -> g.topic().startsWith("$CONTROL"));
      assertThat(control).as(s).isEqualTo(s.equals(ServiceBrokerAcl.WEB_UI));
    }
  }
}
