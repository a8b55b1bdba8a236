package org.mecam.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every JSON example in docs/mqtt-contract.md must be accepted by the codec for its topic. */
class ContractDocTest {
  private static final Pattern EXAMPLE =
      Pattern.compile("Example on `([^`]+)`:\\s*```json\\s*(.*?)```", Pattern.DOTALL);

  @Test
  void everyDocumentedExampleParsesAsItsTopicsPayload() throws Exception {
    String doc = Files.readString(Path.of("../../docs/mqtt-contract.md"));
    Matcher m = EXAMPLE.matcher(doc);
    List<String> checked = new ArrayList<>();
    Set<Class<?>> types = new HashSet<>();
    while (m.find()) {
      String topic = m.group(1);
      String json = m.group(2).trim();
      Contract.Spec<?> spec = Contract.forTopic(topic);
      assertThat(spec).as("contract spec for documented topic %s", topic).isNotNull();
      Payload p = PayloadCodec.decode(topic, json.getBytes(StandardCharsets.UTF_8), spec.type());
      assertThat(p.schema()).isEqualTo(1);
      // Round trip: what we encode must decode to the same record.
      Payload again = PayloadCodec.decode(topic, PayloadCodec.encode(p), spec.type());
      assertThat(again).isEqualTo(p);
      checked.add(topic);
      types.add(spec.type());
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(12);
    assertThat(types).contains(MotionEvent.class, MediaReady.class, CameraState.class, Alert.class,
        ArmCommand.class, MediaStored.class, MediaFailed.class, Command.class, CommandReply.class,
        NotificationSent.class, DeadLetter.class);
  }

  @Test
  void everyTopicInTheOverviewTableHasAContractSpecOrIsPlainText() throws Exception {
    String doc = Files.readString(Path.of("../../docs/mqtt-contract.md"));
    Matcher m = Pattern.compile("^\\| `(mecam/v1/[^`]+)` \\|", Pattern.MULTILINE).matcher(doc);
    int rows = 0;
    while (m.find()) {
      rows++;
      String topic = m.group(1).replace("{camera}", "front-door").replace("{service}", "uploader");
      boolean plainText = topic.endsWith("/availability") || topic.equals(Topics.UPLOADER_STATS);
      assertThat(plainText || Contract.forTopic(topic) != null).as(topic).isTrue();
    }
    assertThat(rows).isGreaterThanOrEqualTo(15);
  }
}
