package org.mecam.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs mecam-recover commands in-process and checks output, files and exit codes. */
class RecoverCommandTest {
  @TempDir Path dir;
  Path key;
  Path pass;
  Path pub;

  record Run(int exit, String out, String err, byte[] binary) {}

  Run run(String... args) {
    RecoverCommand root = new RecoverCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    root.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    root.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    root.binaryOut = bin;
    int code = RecoverCommand.commandLine(root).execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        bin.toByteArray());
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @BeforeEach
  void keygen() throws IOException {
    key = dir.resolve("owner.key");
    pass = dir.resolve("pass.txt");
    Files.writeString(pass, "a long passphrase\n");
    Run r = run("keygen", "-o", key.toString(), "--passphrase-file", pass.toString(),
        "--argon2-memory-kib", "19456", "--argon2-iterations", "2");
    assertThat(r.exit).as(r.err).isZero();
    pub = dir.resolve("owner.key.pub");
    assertThat(Files.readString(pub)).startsWith("mecam-pub-1:");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
  }

  Path encrypt(String name, byte[] plain, String type) throws IOException {
    Path in = dir.resolve(name);
    Files.write(in, plain);
    Path enc = dir.resolve(name + ".mecam");
    Run r = run("encrypt", "-R", pub.toString(), "--content-type", type, "-o", enc.toString(), in.toString());
    assertThat(r.exit).as(r.err).isZero();
    return enc;
  }

  @Test
  void decryptsVerifiesAndShowsInfo() throws IOException {
    byte[] plain = random(200_000, 1);
    Path enc = encrypt("clip.mp4", plain, "video/mp4");
    Run info = run("info", enc.toString());
    assertThat(info.exit).isZero();
    assertThat(info.out).contains("AES_256_GCM").contains("65536").doesNotContain("video/mp4");

    Run verify = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(), enc.toString());
    assertThat(verify.exit).as(verify.err).isZero();
    assertThat(verify.out).contains("ok ").contains("video/mp4").contains("200000 bytes");

    Path out = dir.resolve("restored.mp4");
    Run dec = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "-o", out.toString(), enc.toString());
    assertThat(dec.exit).as(dec.err).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(plain);

    Path fast = dir.resolve("restored-unchecked.mp4");
    Run unchecked = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "--no-hash-check", "-o", fast.toString(), enc.toString());
    assertThat(unchecked.exit).as(unchecked.err).isZero();
    assertThat(unchecked.out).contains("(not checked)");
    assertThat(Files.readAllBytes(fast)).isEqualTo(plain);

    Run std = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "--stdout", enc.toString());
    assertThat(std.exit).isZero();
    assertThat(std.binary).isEqualTo(plain);
  }

  @Test
  void decryptsAWholeFolderAndCarriesOnPastADamagedFile() throws IOException {
    Path drive = dir.resolve("drive");
    Files.createDirectories(drive.resolve("cam-1"));
    byte[] a = random(70_000, 2);
    byte[] b = random(10, 3);
    Files.move(encrypt("a.jpg", a, "image/jpeg"), drive.resolve("cam-1/a.jpg.mecam"));
    Files.move(encrypt("b.txt", b, "text/plain"), drive.resolve("b.txt.mecam"));
    Path bad = drive.resolve("c.mp4.mecam");
    byte[] damaged = Files.readAllBytes(encrypt("c.mp4", random(150_000, 4), "video/mp4"));
    damaged[damaged.length - 100] ^= 1;
    Files.write(bad, damaged);
    Files.writeString(drive.resolve("notes.txt"), "not encrypted");
    Path out = dir.resolve("restored");
    Run r = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "-o", out.toString(), drive.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
    assertThat(r.err).contains("c.mp4.mecam").contains("tampered at segment 2");
    assertThat(r.out).contains("2 of 3 files decrypted");
    assertThat(Files.readAllBytes(out.resolve("cam-1/a.jpg"))).isEqualTo(a);
    assertThat(Files.readAllBytes(out.resolve("b.txt"))).isEqualTo(b);
    assertThat(out.resolve("c.mp4")).doesNotExist();
    assertThat(out.resolve("c.mp4.part")).doesNotExist();
  }

  @Test
  void errorsNameTheProblemWithDocumentedExitCodes() throws IOException {
    byte[] plain = random(300_000, 5);
    Path enc = encrypt("clip.mp4", plain, "video/mp4");
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "nope\n");
    Run r = run("verify", "-k", key.toString(), "--passphrase-file", wrong.toString(), enc.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.WRONG_PASSPHRASE);
    assertThat(r.err).contains("wrong passphrase");

    byte[] file = Files.readAllBytes(enc);
    Path cut = dir.resolve("cut.mecam");
    Files.write(cut, java.util.Arrays.copyOf(file, file.length - (file.length - 141) % 65552 - 65552));
    r = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(), cut.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
    assertThat(r.err).contains("truncated after segment");

    Path notOurs = dir.resolve("plain.bin");
    Files.write(notOurs, plain);
    r = run("info", notOurs.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.NOT_READABLE);
    assertThat(r.err).contains("not a mecam file");

    byte[] future = file.clone();
    future[8] = 3; // version 2 exists now (bound files); 3 is the next unknown one
    Path v3 = dir.resolve("v3.mecam");
    Files.write(v3, future);
    r = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(), v3.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.NOT_READABLE);
    assertThat(r.err).contains("unknown format version 3");

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    r = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(), enc.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.KEY_UNUSABLE);
    assertThat(r.err).contains("chmod 600");
  }

  @Test
  void passwdExportAndImportKeepOldFilesReadable() throws IOException {
    byte[] plain = random(1000, 6);
    Path enc = encrypt("snap.jpg", plain, "image/jpeg");
    Path newPass = dir.resolve("new.txt");
    Files.writeString(newPass, "another passphrase\n");
    Run r = run("passwd", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "--new-passphrase-file", newPass.toString(), "--argon2-memory-kib", "19456",
        "--argon2-iterations", "2");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(),
        enc.toString()).exit).isEqualTo(ExitCodes.WRONG_PASSPHRASE);
    assertThat(run("verify", "-k", key.toString(), "--passphrase-file", newPass.toString(),
        enc.toString()).exit).isZero();

    Path code = dir.resolve("recovery.txt");
    r = run("export-key", "-k", key.toString(), "--passphrase-file", newPass.toString(),
        "-o", code.toString());
    assertThat(r.exit).as(r.err).isZero();
    assertThat(Files.readString(code)).startsWith("MECAM RECOVERY KEY v1");
    assertThat(run("verify", "--recovery-code", code.toString(), enc.toString()).exit).isZero();
    Path imported = dir.resolve("imported.key");
    r = run("import-key", "--code", code.toString(), "-o", imported.toString(),
        "--passphrase-file", pass.toString(), "--argon2-memory-kib", "19456", "--argon2-iterations", "2");
    assertThat(r.exit).as(r.err).isZero();
    Run d = run("decrypt", "-k", imported.toString(), "--passphrase-file", pass.toString(),
        "--stdout", enc.toString());
    assertThat(d.binary).isEqualTo(plain);
  }

  @Test
  void decryptsTheCommittedVectorsAndWhatTheIndependentPythonWriterProduces() throws Exception {
    Path vectors = Path.of(System.getProperty("mecam.crypto.vectors"));
    Path committedKey = dir.resolve("vector-owner.key");
    Files.copy(vectors.resolve("owner.key"), committedKey);
    Files.setPosixFilePermissions(committedKey, PosixFilePermissions.fromString("rw-------"));
    Path vpass = dir.resolve("vpass.txt");
    Files.writeString(vpass, "correct horse battery staple\n");
    for (String v : new String[] {"v1-empty-aes", "v1-hello-aes-padded", "v1-three-segments-chacha",
        "v1-segment-exact-aes", "v1-log-zstd", "v1-two-recipients"}) {
      Run r = run("decrypt", "-k", committedKey.toString(), "--passphrase-file", vpass.toString(),
          "--stdout", vectors.resolve(v + ".mecam").toString());
      assertThat(r.exit).as(v + ": " + r.err).isZero();
      assertThat(r.binary).as(v).isEqualTo(Files.readAllBytes(vectors.resolve(v + ".plain")));
    }

    // Files written by the independent Python writer (built from the format document alone).
    Path script = Path.of(System.getProperty("mecam.crypto.python"));
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "encrypt",
        "--recipient", Files.readString(pub).strip(), "--suite", "chacha", "--pad",
        "--content-type", "video/mp4"));
    List<byte[]> plains = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] p = random(new int[] {0, 65536, 200_001}[i], 10 + i);
      plains.add(p);
      Files.write(dir.resolve("py" + i), p);
      cmd.add(dir.resolve("py" + i).toString());
      cmd.add(dir.resolve("py" + i + ".mecam").toString());
    }
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("python3 is required for this test (CI must install python3 and"
          + " the 'cryptography' package)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("python3 with 'cryptography' is required: " + out).isZero();
    for (int i = 0; i < 3; i++) {
      Run r = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(),
          "--stdout", dir.resolve("py" + i + ".mecam").toString());
      assertThat(r.exit).as(r.err).isZero();
      assertThat(r.binary).isEqualTo(plains.get(i));
    }
  }

  @Test
  void bindingIsWrittenShownPrintedAndChecked() throws IOException {
    byte[] plain = random(70_000, 11);
    Path in = Files.write(dir.resolve("clip.mp4"), plain);
    Path enc = dir.resolve("clip.mp4.mecam");
    Run r = run("encrypt", "-R", pub.toString(), "--content-type", "video/mp4", "--camera",
        "front-door", "--media", "m-0001", "-o", enc.toString(), in.toString());
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).contains("bound to camera front-door, media m-0001");

    Run info = run("info", enc.toString());
    assertThat(info.out).contains("format version: 2").contains("give -k to show them")
        .doesNotContain("m-0001");
    info = run("info", "-k", key.toString(), "--passphrase-file", pass.toString(), enc.toString());
    assertThat(info.exit).as(info.err).isZero();
    assertThat(info.out).contains("binding:        camera front-door, media m-0001");

    // decrypt needs no expectation and prints what the file is bound to.
    Path out = dir.resolve("out.mp4");
    r = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(), "-o",
        out.toString(), enc.toString());
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).contains("bound to camera front-door, media m-0001");
    assertThat(Files.readAllBytes(out)).isEqualTo(plain);
    Files.delete(out);

    // With an expectation: the right one passes, another media id is refused with exit 8.
    r = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "--expect-camera", "front-door", "--expect-media", "m-0001", enc.toString());
    assertThat(r.exit).as(r.err).isZero();
    r = run("decrypt", "-k", key.toString(), "--passphrase-file", pass.toString(), "-o",
        out.toString(), "--expect-camera", "front-door", "--expect-media", "m-0002",
        enc.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.WRONG_BINDING).isEqualTo(8);
    assertThat(r.err).contains("not the clip it claims to be: bound to another media id");
    assertThat(out).doesNotExist();
    // An unbound (version 1) file is refused under an expectation unless allowed.
    Path v1 = encrypt("old.mp4", plain, "video/mp4");
    r = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "--expect-camera", "front-door", "--expect-media", "m-0001", v1.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.WRONG_BINDING);
    assertThat(r.err).contains("carries no camera or media id");
    r = run("verify", "-k", key.toString(), "--passphrase-file", pass.toString(),
        "--expect-camera", "front-door", "--expect-media", "m-0001", "--allow-version-1",
        v1.toString());
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).contains("not bound: format version 1");
  }

  @Test
  void weakArgon2ParametersAreRefusedOnCreationAndOnReadingUntilRewrapped() throws Exception {
    Path weak = dir.resolve("weak.key");
    Run r = run("keygen", "-o", weak.toString(), "--passphrase-file", pass.toString(),
        "--argon2-memory-kib", "8", "--argon2-iterations", "1");
    assertThat(r.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err).contains("memory 19456..4194304 KiB, iterations 2..64");
    assertThat(weak).doesNotExist();
    r = run("keygen", "-o", weak.toString(), "--passphrase-file", pass.toString(),
        "--argon2-memory-kib", "19456", "--argon2-iterations", "1");
    assertThat(r.exit).isEqualTo(ExitCodes.USAGE);

    // A key file written before the floor existed (8 KiB, one pass): refused, then rewrapped.
    String text = Files.readString(key)
        .replaceAll("\"kdfMemoryKiB\": [0-9]+", "\"kdfMemoryKiB\": 8")
        .replaceAll("\"kdfIterations\": [0-9]+", "\"kdfIterations\": 1");
    Files.writeString(weak, text);
    Files.setPosixFilePermissions(weak, PosixFilePermissions.fromString("rw-------"));
    Path enc = encrypt("a.jpg", random(100, 12), "image/jpeg");
    r = run("verify", "-k", weak.toString(), "--passphrase-file", pass.toString(), enc.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.KEY_UNUSABLE);
    assertThat(r.err).contains("outside the allowed range").contains("mecam-recover passwd -k");
    // passwd reads it (its passphrase check runs with the file's own weak parameters, so the
    // edited numbers make the AES-GCM tag fail: the passphrase is reported wrong, not accepted).
    r = run("passwd", "-k", weak.toString(), "--passphrase-file", pass.toString(),
        "--new-passphrase-file", pass.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.WRONG_PASSPHRASE);
  }
}
