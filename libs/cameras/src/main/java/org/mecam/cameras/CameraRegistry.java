package org.mecam.cameras;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mecam.secrets.SecretFileException;
import org.mecam.secrets.SecretFiles;

/**
 * The camera registry: the one file ({@code cameras.json}, mode 0600) that says which cameras
 * exist, where their media is and which token they accept. The web UI writes it; the uploader and
 * the web UI read it.
 *
 * <p>Format: {@code {"schema":1,"cameras":[{"id","name","mediaUrl","mediaToken","addedAt"}]}}.
 * Parsing is strict: unknown or missing fields, duplicate ids, bad ids, names or URLs are refused
 * with a message naming the file and the entry (never a token). A missing file is an empty
 * registry. Reads re-parse the file whenever its modification time, size or identity changed,
 * so a change made by another process is seen on the next call. Writes replace the file
 * atomically through {@link SecretFiles}; a reader sees the old or the new registry, never half.
 */
public final class CameraRegistry {
  /** The only {@code schema} value this version reads and writes. */
  public static final int SCHEMA = 1;
  private static final Set<String> TOP_FIELDS = Set.of("schema", "cameras");
  private static final Set<String> CAMERA_FIELDS = Set.of("id", "name", "mediaUrl", "mediaToken", "addedAt");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private Stamp loadedStamp;
  private Map<String, RegisteredCamera> cameras = Map.of();

  /** A registry kept in {@code file}; nothing is read until the first call. */
  public CameraRegistry(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The file this registry lives in. */
  public Path file() {
    return file;
  }

  /** The camera with id {@code id}, as the file says now. */
  public synchronized Optional<RegisteredCamera> find(String id) {
    return Optional.ofNullable(current().get(id));
  }

  /** Every registered camera, in the file's order. */
  public synchronized List<RegisteredCamera> all() {
    return List.copyOf(current().values());
  }

  /** Adds {@code camera}, or replaces the camera with the same id, and writes the file. */
  public synchronized void put(RegisteredCamera camera) {
    Objects.requireNonNull(camera, "camera");
    Map<String, RegisteredCamera> next = new LinkedHashMap<>(current());
    next.put(camera.id(), camera);
    write(next);
  }

  /** Removes the camera {@code id} and writes the file; false (and nothing written) when it was not there. */
  public synchronized boolean remove(String id) {
    Map<String, RegisteredCamera> now = current();
    if (!now.containsKey(id)) {
      return false;
    }
    Map<String, RegisteredCamera> next = new LinkedHashMap<>(now);
    next.remove(id);
    write(next);
    return true;
  }

  private Map<String, RegisteredCamera> current() {
    Stamp stamp = Stamp.of(file);
    if (stamp == null) {
      cameras = Map.of();
      loadedStamp = null;
      return cameras;
    }
    if (!stamp.equals(loadedStamp)) {
      try {
        SecretFiles.checkPermissions(file, "camera registry", SecretFiles.Access.OWNER_ONLY);
      } catch (SecretFileException e) {
        throw new CameraRegistryException(e.getMessage(), e);
      }
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CameraRegistryException("cannot read camera registry " + file + ": " + e.getMessage(), e);
      }
      cameras = parse(file, text);
      // The stamp taken before reading: if the file changed meanwhile, the next call re-reads it.
      loadedStamp = stamp;
    }
    return cameras;
  }

  private void write(Map<String, RegisteredCamera> next) {
    String text = format(next.values());
    try {
      SecretFiles.write(file, text);
    } catch (SecretFileException e) {
      throw new CameraRegistryException(e.getMessage(), e);
    }
    cameras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(next));
    loadedStamp = Stamp.of(file);
  }

  /** The registry file's text for {@code cameras}. */
  static String format(Iterable<RegisteredCamera> cameras) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    ArrayNode list = root.putArray("cameras");
    for (RegisteredCamera c : cameras) {
      ObjectNode o = list.addObject();
      o.put("id", c.id());
      o.put("name", c.name());
      o.put("mediaUrl", c.mediaUrl().toString());
      o.put("mediaToken", c.mediaToken());
      o.put("addedAt", c.addedAt().toString());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a registry file's text strictly; {@code file} only names it in messages. */
  static Map<String, RegisteredCamera> parse(Path file, String text) {
    String where = "camera registry " + file;
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the text around the error, which can be a token: give only the position.
      String pos = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      throw new CameraRegistryException(where + " is not valid JSON" + pos);
    }
    if (root == null || !root.isObject()) {
      throw new CameraRegistryException(where + " must hold a JSON object");
    }
    checkFields(root, TOP_FIELDS, where);
    JsonNode schema = root.get("schema");
    if (schema == null || !schema.isInt() || schema.intValue() != SCHEMA) {
      throw new CameraRegistryException(where + ": field 'schema' must be " + SCHEMA);
    }
    JsonNode list = root.get("cameras");
    if (list == null || !list.isArray()) {
      throw new CameraRegistryException(where + ": field 'cameras' must be an array");
    }
    Map<String, RegisteredCamera> out = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode n : list) {
      String at = where + ": cameras[" + i + "]";
      if (!n.isObject()) {
        throw new CameraRegistryException(at + " must be an object");
      }
      checkFields(n, CAMERA_FIELDS, at);
      String id = text(n, "id", at);
      at = where + ": camera '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "' (cameras[" + i + "])";
      String name = text(n, "name", at);
      String url = text(n, "mediaUrl", at);
      String token = text(n, "mediaToken", at);
      String added = text(n, "addedAt", at);
      Instant addedAt;
      try {
        addedAt = Instant.parse(added);
      } catch (DateTimeParseException e) {
        throw new CameraRegistryException(at + ": field 'addedAt' must be an ISO-8601 instant");
      }
      RegisteredCamera c;
      try {
        URI u = RegisteredCamera.parseMediaUrl(url);
        c = new RegisteredCamera(id, name, u, token, addedAt);
      } catch (IllegalArgumentException e) {
        throw new CameraRegistryException(at + ": " + e.getMessage());
      }
      if (out.putIfAbsent(id, c) != null) {
        throw new CameraRegistryException(at + ": id '" + id + "' is listed twice");
      }
      i++;
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static void checkFields(JsonNode n, Set<String> allowed, String at) {
    Set<String> unknown = new HashSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        unknown.add(f.length() > 40 ? f.substring(0, 40) + "…" : f);
      }
    }
    if (!unknown.isEmpty()) {
      throw new CameraRegistryException(at + ": unknown field(s) " + new java.util.TreeSet<>(unknown)
          + "; allowed: " + new java.util.TreeSet<>(allowed));
    }
  }

  private static String text(JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new CameraRegistryException(at + ": field '" + field + "' is missing");
    }
    if (!v.isTextual()) {
      throw new CameraRegistryException(at + ": field '" + field + "' must be a string");
    }
    return v.textValue();
  }

  /** What identifies one version of the file: modification time, size and file identity (inode). */
  private record Stamp(long mtimeNanos, long size, Object fileKey) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(), a.fileKey());
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new CameraRegistryException("cannot read camera registry " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
