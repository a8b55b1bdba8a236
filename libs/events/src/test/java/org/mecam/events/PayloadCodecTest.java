package org.mecam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadCodecTest {
  private static final String TOPIC = "mecam/v1/cameras/front-door/events";
  private static final Instant T = Instant.parse("2026-11-26T04:31:02Z");

  private static MotionEvent start() {
    return new MotionEvent(1, "m-1", "front-door", T, "evt-1", MotionEvent.Phase.START, 0.5,
        List.of(new Box(0.1, 0.1, 0.2, 0.2)), true, T, null);
  }

  private static String reason(String topic, String json) {
    try {
      PayloadCodec.decode(topic, json.getBytes(StandardCharsets.UTF_8), MotionEvent.class);
      throw new AssertionError("accepted: " + json);
    } catch (InvalidPayloadException e) {
      return e.reason();
    }
  }

  private static String valid() {
    return new String(PayloadCodec.encode(start()), StandardCharsets.UTF_8);
  }

  @Test
  void roundTripsAValidEvent() throws Exception {
    MotionEvent e = PayloadCodec.decode(TOPIC, PayloadCodec.encode(start()), MotionEvent.class);
    assertThat(e).isEqualTo(start());
  }

  @Test
  void rejectsWhatIsNotJson() {
    assertThat(reason(TOPIC, "hello")).startsWith("payload is not JSON");
    assertThat(reason(TOPIC, "[1,2]")).isEqualTo("payload is not a JSON object");
    assertThat(reason(TOPIC, "")).isEqualTo("empty payload");
  }

  @Test
  void rejectsInvalidUtf8() throws Exception {
    byte[] bad = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    assertThatThrownBy(() -> PayloadCodec.decode(TOPIC, bad, MotionEvent.class))
        .hasMessage("payload is not valid UTF-8");
  }

  @Test
  void rejectsAWrongOrMissingSchemaVersion() {
    assertThat(reason(TOPIC, valid().replace("\"schema\":1", "\"schema\":2")))
        .startsWith("unsupported schema version 2");
    assertThat(reason(TOPIC, valid().replace("\"schema\":1,", ""))).isEqualTo("missing field 'schema'");
  }

  @Test
  void rejectsUnknownFields() {
    assertThat(reason(TOPIC, valid().replace("{\"schema\":1,", "{\"schema\":1,\"colour\":\"red\",")))
        .isEqualTo("unknown field 'colour' for MotionEvent");
  }

  @Test
  void rejectsMissingRequiredFieldsByName() {
    assertThat(reason(TOPIC, valid().replace("\"eventId\":\"evt-1\",", "")))
        .isEqualTo("missing required field 'eventId'");
    assertThat(reason(TOPIC, valid().replace("\"armed\":true,", "")))
        .isEqualTo("missing required field 'armed'");
  }

  @Test
  void rejectsWrongTypesAndValues() {
    assertThat(reason(TOPIC, valid().replace("\"score\":0.5", "\"score\":\"high\"")))
        .contains("'score'");
    assertThat(reason(TOPIC, valid().replace("\"type\":\"start\"", "\"type\":\"begin\"")))
        .contains("'type'");
    assertThat(reason(TOPIC, valid().replace("\"score\":0.5", "\"score\":7")))
        .isEqualTo("field 'score' must be between 0 and 1");
  }

  @Test
  void rejectsOversizePayloadsBeforeParsing() {
    char[] junk = new char[1024 * 1024];
    Arrays.fill(junk, 'x');
    assertThat(reason(TOPIC, new String(junk))).isEqualTo("payload too large: 1048576 bytes (limit 65536)");
  }

  @Test
  void rejectsACameraSpeakingForAnother() {
    assertThat(reason("mecam/v1/cameras/back-yard/events", valid()))
        .isEqualTo("payload camera 'front-door' does not match topic camera 'back-yard'");
  }

  @Test
  void rejectsBadCameraIds() {
    assertThat(reason("mecam/v1/cameras/Front/events", valid().replace("front-door", "Front")))
        .contains("must match [a-z0-9-]{1,32}");
    assertThat(CameraIds.problem("svc-uploader")).contains("reserved for services");
    assertThat(CameraIds.isValid("garage-2")).isTrue();
    assertThat(CameraIds.isValid("a".repeat(33))).isFalse();
  }

  @Test
  void refusesToSendAnInvalidPayload() {
    MotionEvent bad = new MotionEvent(1, "m-1", "front-door", T, "evt-1", MotionEvent.Phase.END, 0.5,
        List.of(), true, T, null);
    assertThatThrownBy(() -> PayloadCodec.encode(bad)).hasMessageContaining("an 'end' event needs 'endedAt'");
  }
}
