package org.mecam.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Turns payload records into JSON and back, strictly: size cap, UTF-8, a JSON object, the right
 * schema version, no unknown fields, required fields present, content valid, camera matching the topic.
 */
public final class PayloadCodec {
  /** Larger payloads are refused; media travels over HTTP, never inside a message. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(MAX_PAYLOAD_BYTES).build());
  }

  private PayloadCodec() {}

  /** The shared, strictly configured mapper (thread-safe). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Validates and serialises; an invalid payload is a programming error on the sending side. */
  public static byte[] encode(Payload payload) {
    Checks checks = new Checks();
    payload.validate(checks);
    if (!checks.ok()) {
      throw new IllegalArgumentException("refusing to send invalid " + payload.getClass().getSimpleName()
          + ": " + String.join("; ", checks.problems()));
    }
    try {
      return MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + payload.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses a payload received on {@code topic}; when the topic names a camera, the payload's camera
   * must be the same one (a camera cannot speak for another).
   */
  public static <T extends Payload> T decode(String topic, byte[] bytes, Class<T> type)
      throws InvalidPayloadException {
    JsonNode tree = readObject(bytes);
    JsonNode schema = tree.get("schema");
    if (schema == null) {
      throw new InvalidPayloadException("missing field 'schema'");
    }
    if (!schema.isInt() || schema.intValue() != Payload.SCHEMA) {
      throw new InvalidPayloadException("unsupported schema version " + clip(schema.toString(), 20)
          + " (this service reads version " + Payload.SCHEMA + ")");
    }
    T value;
    try {
      value = MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidPayloadException(describe(e, type));
    }
    Checks checks = new Checks();
    value.validate(checks);
    checks.throwIfInvalid();
    String topicCamera = topic == null ? null : Topics.cameraOf(topic);
    if (topicCamera != null && value.cameraId() != null && !topicCamera.equals(value.cameraId())) {
      throw new InvalidPayloadException("payload camera '" + value.cameraId()
          + "' does not match topic camera '" + clip(topicCamera, 40) + "'");
    }
    return value;
  }

  private static JsonNode readObject(byte[] bytes) throws InvalidPayloadException {
    if (bytes.length > MAX_PAYLOAD_BYTES) {
      throw new InvalidPayloadException("payload too large: " + bytes.length + " bytes (limit "
          + MAX_PAYLOAD_BYTES + ")");
    }
    if (bytes.length == 0) {
      throw new InvalidPayloadException("empty payload");
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new InvalidPayloadException("payload is not valid UTF-8");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidPayloadException("payload is not JSON: " + firstLine(e.getMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidPayloadException("payload is not a JSON object");
    }
    return tree;
  }

  private static String describe(Exception e, Class<?> type) {
    String target = type.getSimpleName();
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + clip(u.getPropertyName(), 40) + "' for " + target;
    }
    if (e instanceof InvalidFormatException f) {
      return "field '" + path(f) + "' has an invalid value " + clip(String.valueOf(f.getValue()), 40);
    }
    if (e instanceof MismatchedInputException m) {
      String msg = m.getOriginalMessage();
      if (msg != null && msg.startsWith("Missing required creator property")) {
        return "missing required field '" + path(m) + "'";
      }
      if (msg != null && msg.contains("Null value for creator property")) {
        return "field '" + path(m) + "' must not be null";
      }
      return "field '" + path(m) + "' has the wrong type for " + target;
    }
    return "cannot read " + target + ": " + firstLine(e.getMessage());
  }

  private static String path(MismatchedInputException e) {
    String p = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    if (p.isEmpty() && e.getOriginalMessage() != null) {
      String msg = e.getOriginalMessage();
      int a = msg.indexOf('\'');
      int b = a < 0 ? -1 : msg.indexOf('\'', a + 1);
      if (a >= 0 && b > a) {
        return msg.substring(a + 1, b);
      }
    }
    return p;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return clip(nl < 0 ? s : s.substring(0, nl), 200);
  }

  static String clip(String s, int max) {
    return s == null ? "null" : s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
