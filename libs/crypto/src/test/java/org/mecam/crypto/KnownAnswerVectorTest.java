package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the committed known-answer vectors in {@code src/test/resources/vectors/}: the writer
 * still produces them byte for byte from the same seeded randomness, and the reader opens them.
 * Regenerate with {@code -Dmecam.vectors.write=libs/crypto/src/test/resources/vectors}.
 */
class KnownAnswerVectorTest {
  static final OwnerKeyPair OWNER = OwnerKeyPair.generate(new SeededRandom("vector owner"));
  static final OwnerKeyPair BACKUP = OwnerKeyPair.generate(new SeededRandom("vector backup"));
  static final String PASSPHRASE = "correct horse battery staple";

  record Vector(String name, byte[] plain, EncryptionParams params, boolean exact) {}

  static Map<String, Vector> vectors() {
    Map<String, Vector> v = new LinkedHashMap<>();
    add(v, "v1-empty-aes", new byte[0],
        base("empty").contentType("application/octet-stream").padding(false), true);
    add(v, "v1-hello-aes-padded", "hello, mecam\n".getBytes(StandardCharsets.UTF_8),
        base("hello").contentType("text/plain; charset=utf-8").compression(Compression.NONE), true);
    add(v, "v1-three-segments-chacha", Fixtures.random(3 * 4096 + 100, 3),
        base("three").contentType("video/mp4").suite(Suite.CHACHA20_POLY1305).segmentSize(4096),
        true);
    add(v, "v1-segment-exact-aes", Fixtures.random(2 * 4096 - 57 - 10, 4),
        base("exact").contentType("image/jpeg").segmentSize(4096).padding(false), true);
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      log.append("2026-11-26T04:00:00Z cam-").append(i % 4).append(" motion score=0.5\n");
    }
    // zstd output may change between zstd versions, so only decryption is checked for this one.
    add(v, "v1-log-zstd", log.toString().getBytes(StandardCharsets.UTF_8),
        base("log").contentType("text/plain").compression(Compression.ZSTD), false);
    add(v, "v1-two-recipients", "two keys open me\n".getBytes(StandardCharsets.UTF_8),
        base("two").recipient(BACKUP.recipient()).contentType("text/plain"), true);
    // Format version 2: bound to a camera and media id.
    add(v, "v2-bound-aes", Fixtures.random(5000, 5),
        base("bound").contentType("video/mp4").binding("front-door", "m-20261203-170000-0001"),
        true);
    add(v, "v2-bound-chacha-two-recipients", Fixtures.random(2 * 4096 + 7, 6),
        base("bound two").contentType("image/jpeg").suite(Suite.CHACHA20_POLY1305)
            .segmentSize(4096).recipient(BACKUP.recipient()).binding("garden", "snap-42"),
        true);
    return v;
  }

  static EncryptionParams.Builder base(String seed) {
    return EncryptionParams.builder()
        .recipient(OWNER.recipient())
        .random(new SeededRandom("vector " + seed));
  }

  static void add(Map<String, Vector> v, String name, byte[] plain, EncryptionParams.Builder b,
      boolean exact) {
    v.put(name, new Vector(name, plain, b.build(), exact));
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = KnownAnswerVectorTest.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IOException("missing vector resource " + name
            + "; regenerate with -Dmecam.vectors.write=libs/crypto/src/test/resources/vectors");
      }
      return in.readAllBytes();
    }
  }

  @Test
  void vectorsAreReproducedAndDecrypted() throws Exception {
    String write = System.getProperty("mecam.vectors.write");
    if (write != null) {
      writeVectors(Path.of(write));
    }
    for (Vector v : vectors().values()) {
      byte[] file = resource(v.name() + ".mecam");
      assertThat(resource(v.name() + ".plain")).isEqualTo(v.plain());
      if (v.exact()) {
        assertThat(Fixtures.encrypt(v.plain(), rebuilt(v))).as(v.name()).isEqualTo(file);
      }
      assertThat(Fixtures.decrypt(file, OWNER)).as(v.name()).isEqualTo(v.plain());
    }
    assertThat(Fixtures.decrypt(resource("v1-two-recipients.mecam"), BACKUP))
        .isEqualTo(vectors().get("v1-two-recipients").plain());
    assertThat(Fixtures.decrypt(resource("v2-bound-chacha-two-recipients.mecam"), BACKUP))
        .isEqualTo(vectors().get("v2-bound-chacha-two-recipients").plain());
    assertThat(MediaDecryptor.readBinding(
        new ByteArrayInputStream(resource("v2-bound-aes.mecam")), OWNER))
        .contains(FileBinding.of("front-door", "m-20261203-170000-0001"));
    for (String name : new String[] {"v1-empty-aes", "v2-bound-aes"}) {
      assertThat(EncryptedFileInfo.read(new ByteArrayInputStream(resource(name + ".mecam")))
          .version()).isEqualTo(name.charAt(1) - '0');
    }
  }

  @Test
  void committedKeyFileOpensWithThePassphrase() throws Exception {
    Path tmp = Files.createTempDirectory("kat");
    Path key = tmp.resolve("owner.key");
    Files.write(key, resource("owner.key"));
    Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(OwnerKeyFile.unlock(key, PASSPHRASE.toCharArray()).recipient())
        .isEqualTo(OWNER.recipient());
    assertThat(RecoveryCode.decode(new String(resource("owner.recovery.txt"), StandardCharsets.UTF_8))
        .recipient()).isEqualTo(OWNER.recipient());
  }

  /** Each vector's randomness restarts from its seed, so rebuild the params before re-encrypting. */
  static EncryptionParams rebuilt(Vector v) {
    return vectors().get(v.name()).params();
  }

  static void writeVectors(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Vector v : vectors().values()) {
      Files.write(dir.resolve(v.name() + ".plain"), v.plain());
      Files.write(dir.resolve(v.name() + ".mecam"), Fixtures.encrypt(v.plain(), rebuilt(v)));
    }
    Files.writeString(
        dir.resolve("owner.key"),
        OwnerKeyFile.encode(OWNER, PASSPHRASE.toCharArray(), KdfParams.argon2idForTests(),
            new SeededRandom("vector key file")));
    Files.writeString(dir.resolve("owner.recovery.txt"), RecoveryCode.encode(OWNER));
    HexFormat hex = HexFormat.of();
    Files.writeString(
        dir.resolve("keys.json"),
        "{\n"
            + "  \"ownerPrivateKeyHex\": \"" + hex.formatHex(OWNER.privateKeyBytes()) + "\",\n"
            + "  \"ownerPublicKey\": \"" + OWNER.recipient().toText() + "\",\n"
            + "  \"backupPrivateKeyHex\": \"" + hex.formatHex(BACKUP.privateKeyBytes()) + "\",\n"
            + "  \"backupPublicKey\": \"" + BACKUP.recipient().toText() + "\",\n"
            + "  \"ownerKeyFilePassphrase\": \"" + PASSPHRASE + "\"\n"
            + "}\n");
    new ByteArrayInputStream(new byte[0]).close();
  }
}
