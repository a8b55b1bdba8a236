package org.mecam.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves docs/encryption-format.md is enough: a Python reader/writer written from it alone
 * decrypts what this library writes, and this library decrypts what it writes. Fails loudly when
 * python3 or its {@code cryptography} package is missing: CI must install them.
 */
class IndependentDecryptorTest {
  static final Path SCRIPT =
      Path.of(System.getProperty("mecam.crypto.python", "src/test/python/independent_decrypt.py"));
  static final int SEG = EncryptionParams.DEFAULT_SEGMENT_SIZE;

  @TempDir Path dir;

  @BeforeAll
  static void pythonIsThere() throws Exception {
    Result r = run(List.of("python3", "-c", "import cryptography.hazmat.primitives.kdf.argon2"));
    assertThat(r.exit)
        .as("python3 with the 'cryptography' package (>= 44, for Argon2id) is required for this"
            + " test; install it (pip install cryptography / apt-get install python3-cryptography)."
            + " Output: %s", r.output)
        .isZero();
    assertThat(SCRIPT).exists();
  }

  record Result(int exit, String output) {}

  static Result run(List<String> cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + cmd.get(0) + ": CI must install python3", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Result(p.exitValue(), out);
  }

  @Test
  void pythonDecryptsWhatJavaWrites() throws Exception {
    String hex = HexFormat.of().formatHex(Fixtures.OWNER.privateKeyBytes());
    List<Object[]> cases = new ArrayList<>();
    for (int size : new int[] {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG + 5}) {
      cases.add(new Object[] {size, Fixtures.params().build()});
    }
    cases.add(new Object[] {SEG + 7, Fixtures.params().suite(Suite.CHACHA20_POLY1305).build()});
    cases.add(new Object[] {2 * SEG, Fixtures.params().padding(false).segmentSize(4096).build()});
    cases.add(new Object[] {500, Fixtures.params().recipient(Fixtures.BACKUP.recipient()).build()});
    List<String> cmd = new ArrayList<>(
        List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex));
    List<byte[]> plains = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Object[] c = cases.get(i);
      byte[] plain = Fixtures.random((Integer) c[0], i);
      plains.add(plain);
      Path enc = dir.resolve("java-" + i + ".mecam");
      Files.write(enc, Fixtures.encrypt(plain, (EncryptionParams) c[1]));
      cmd.add(enc.toString());
      cmd.add(dir.resolve("java-" + i + ".out").toString());
    }
    Result all = run(cmd);
    assertThat(all.exit).as(all.output).isZero();
    for (int i = 0; i < cases.size(); i++) {
      assertThat(Files.readAllBytes(dir.resolve("java-" + i + ".out"))).as("case %d", i)
          .isEqualTo(plains.get(i));
    }
    assertThat(all.output).contains("\"contentType\": \"video/mp4\"");
    // A compressed file, read with the passphrase-protected key file.
    byte[] text = "line of a log file\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
    Path key = dir.resolve("owner.key");
    Path pass = dir.resolve("pass.txt");
    OwnerKeyFile.create(key, Fixtures.OWNER, "s3cret pass".toCharArray(), KdfParams.argon2idForTests());
    Files.writeString(pass, "s3cret pass\n");
    Path enc = dir.resolve("log.mecam");
    Files.write(enc, Fixtures.encrypt(text, Fixtures.params().contentType("text/plain").build()));
    assertThat(EncryptedFileInfo.read(Files.newInputStream(enc)).compressed()).isTrue();
    Path out = dir.resolve("log.out");
    Result r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--key-file", key.toString(),
        "--passphrase-file", pass.toString(), enc.toString(), out.toString()));
    assertThat(r.exit).as(r.output).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(text);
    // And the independent reader rejects a tampered file.
    byte[] bad = Files.readAllBytes(enc);
    bad[bad.length - 3] ^= 1;
    Files.write(enc, bad);
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--key-file", key.toString(),
        "--passphrase-file", pass.toString(), enc.toString(), out.toString()));
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("tampered at segment 0");
  }

  @Test
  void javaDecryptsWhatPythonWrites() throws Exception {
    String pub = Fixtures.OWNER.recipient().toText();
    int i = 0;
    for (String[] opts : new String[][] {
        {"--suite", "aes"}, {"--suite", "chacha", "--pad"},
        {"--segment-log", "12", "--pad"}, {"--suite", "aes", "--content-type", "image/jpeg"}}) {
      List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString(), "encrypt",
          "--recipient", pub, "--recipient", Fixtures.BACKUP.recipient().toText()));
      cmd.addAll(List.of(opts));
      List<byte[]> plains = new ArrayList<>();
      int first = i;
      for (int size : new int[] {0, 1, 4095, 4096, 3 * SEG + 11}) {
        byte[] plain = Fixtures.random(size, 100 + i);
        plains.add(plain);
        Path in = dir.resolve("py-" + i + ".plain");
        Files.write(in, plain);
        cmd.add(in.toString());
        cmd.add(dir.resolve("py-" + i + ".mecam").toString());
        i++;
      }
      Result r = run(cmd);
      assertThat(r.exit).as(r.output).isZero();
      for (int k = 0; k < plains.size(); k++) {
        byte[] file = Files.readAllBytes(dir.resolve("py-" + (first + k) + ".mecam"));
        assertThat(Fixtures.decrypt(file, Fixtures.OWNER))
            .as("%s, %d bytes", String.join(" ", opts), plains.get(k).length)
            .isEqualTo(plains.get(k));
        assertThat(Fixtures.decrypt(file, Fixtures.BACKUP)).isEqualTo(plains.get(k));
      }
    }
  }

  /** Version 2, written from the document: bindings both ways, and the strictness rules. */
  @Test
  void version2BindingAndStrictnessAgreeBothWays() throws Exception {
    String hex = HexFormat.of().formatHex(Fixtures.OWNER.privateKeyBytes());
    FileBinding bound = FileBinding.of("front-door", "m-20261203-0001");
    byte[] plain = Fixtures.random(3 * SEG + 9, 77);
    Path javaV2 = Files.write(dir.resolve("java-v2.mecam"), Fixtures.encrypt(plain,
        Fixtures.params().binding(bound).recipient(Fixtures.BACKUP.recipient()).build()));
    Path chachaV2 = Files.write(dir.resolve("java-v2-chacha.mecam"), Fixtures.encrypt(plain,
        Fixtures.params().binding("garden", "snap-1").suite(Suite.CHACHA20_POLY1305)
            .segmentSize(4096).build()));
    Path out = dir.resolve("out");
    Result r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex,
        "--expect-camera", "front-door", "--expect-media", "m-20261203-0001",
        javaV2.toString(), out.toString()));
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output).contains("\"version\": 2").contains("\"camera\": \"front-door\"")
        .contains("\"media\": \"m-20261203-0001\"");
    assertThat(Files.readAllBytes(out)).isEqualTo(plain);
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex,
        chachaV2.toString(), out.toString()));
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output).contains("\"camera\": \"garden\"");
    // Swapped: the independent reader refuses it under another media id, as the Java one does.
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex,
        "--expect-camera", "front-door", "--expect-media", "m-20261203-0002",
        javaV2.toString(), out.toString()));
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("bound to another media id");
    // "not for this key" vs "header tampered", told apart as section 2.5 says.
    String stranger = HexFormat.of().formatHex(Fixtures.STRANGER.privateKeyBytes());
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", stranger,
        javaV2.toString(), out.toString()));
    assertThat(r.output).contains("not for this key");
    byte[] tampered = Files.readAllBytes(javaV2);
    tampered[10] ^= 0x02; // the padded flag: informational, but covered by every stanza's info
    Path t = Files.write(dir.resolve("tampered.mecam"), tampered);
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex,
        t.toString(), out.toString()));
    assertThat(r.output).contains("header tampered");
    assertThat(catchKind(tampered)).isEqualTo(EncryptedFileException.Kind.HEADER_TAMPERED);

    // Java reads what Python writes in version 2, and checks its binding.
    Path in = Files.write(dir.resolve("py.plain"), plain);
    Path pyV2 = dir.resolve("py-v2.mecam");
    r = run(List.of("python3", SCRIPT.toString(), "encrypt", "--recipient",
        Fixtures.OWNER.recipient().toText(), "--content-type", "video/mp4", "--pad",
        "--camera", "front-door", "--media", "m-20261203-0001", in.toString(), pyV2.toString()));
    assertThat(r.exit).as(r.output).isZero();
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    DecryptedFileSummary s = MediaDecryptor.decrypt(Files.newInputStream(pyV2), back,
        Fixtures.OWNER, ContentHashCheck.CHECK, ExpectedBinding.of(bound));
    assertThat(back.toByteArray()).isEqualTo(plain);
    assertThat(s.binding()).isEqualTo(bound);

    // The malformed files of StrictReaderTest: refused by the independent reader too.
    byte[] fa = com.github.luben.zstd.Zstd.compress("a\n".repeat(500).getBytes(), 3);
    byte[] two = java.util.Arrays.copyOf(fa, 2 * fa.length);
    System.arraycopy(fa, 0, two, fa.length, fa.length);
    byte[] aa = "a\n".repeat(1000).getBytes();
    Path twoFrames = Files.write(dir.resolve("two-frames.mecam"),
        Crafted.file(two, aa.length, Crafted.sha256(aa), true, 4096, false, null));
    Path oneFrame = Files.write(dir.resolve("one-frame.mecam"),
        Crafted.file(fa, 1000, Crafted.sha256("a\n".repeat(500).getBytes()), true, 4096, false,
            null));
    byte[] p = Fixtures.random(3 * 4096 - 100, 3);
    Path emptyFinal = Files.write(dir.resolve("empty-final.mecam"),
        Crafted.file(p, p.length, Crafted.sha256(p), false, 4096, true, null));
    Path badType = Files.write(dir.resolve("bad-type.mecam"),
        Crafted.file(p, p.length, Crafted.sha256(p), false, 4096, false, null,
            "text/html\r\nX: 1".getBytes()));
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex,
        oneFrame.toString(), dir.resolve("o1").toString()));
    assertThat(r.exit).as("the crafting itself is sound: %s", r.output).isZero();
    r = run(List.of("python3", SCRIPT.toString(), "decrypt", "--private-key-hex", hex,
        twoFrames.toString(), dir.resolve("o2").toString(),
        emptyFinal.toString(), dir.resolve("o3").toString(),
        badType.toString(), dir.resolve("o4").toString()));
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("more than one zstd frame").contains("empty final segment")
        .contains("invalid content type").doesNotContain("\"size\"");
  }

  static EncryptedFileException.Kind catchKind(byte[] file) {
    try {
      Fixtures.decrypt(file, Fixtures.OWNER);
      return null;
    } catch (EncryptedFileException e) {
      return e.kind();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
