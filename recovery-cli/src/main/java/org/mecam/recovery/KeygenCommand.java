package org.mecam.recovery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mecam.crypto.KdfParams;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Creates a new owner key pair: a passphrase-protected key file (0600) and a public key file. */
@Command(name = "keygen", description = "Create an owner key file and its public key.")
final class KeygenCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Option(names = {"-o", "--out"}, required = true, description = "Key file to create (refuses to overwrite).")
  Path out;

  @Option(names = "--public-out", description = "Public key file (default: <out>.pub).")
  Path publicOut;

  @Option(names = "--kdf", defaultValue = "argon2id", description = "argon2id (default) or pbkdf2-hmac-sha256.")
  String kdf;

  @Option(names = "--argon2-memory-kib", defaultValue = "65536",
      description = "Argon2id memory in KiB (default 65536; at least 19456).")
  int memoryKiB;

  @Option(names = "--argon2-iterations", defaultValue = "3",
      description = "Argon2id passes (default 3; at least 2).")
  int iterations;

  @Option(names = "--pbkdf2-iterations", defaultValue = "600000")
  int pbkdf2Iterations;

  @Option(names = "--passphrase-file")
  Path passphraseFile;

  @Option(names = "--passphrase-env")
  String passphraseEnv;

  /** Argon2id with one lane, refused (IllegalArgumentException) below the documented floor. */
  static KdfParams argon2(int memoryKiB, int iterations) {
    return new KdfParams(KdfParams.ARGON2ID, memoryKiB, iterations, 1).checkStrength();
  }

  @Override
  public Integer call() throws Exception {
    KdfParams params;
    try {
      params = KdfParams.PBKDF2.equals(kdf)
          ? KdfParams.pbkdf2(pbkdf2Iterations)
          : argon2(memoryKiB, iterations);
    } catch (IllegalArgumentException e) {
      root.err.println("mecam-recover: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    char[] pass = PassphraseSource.read(passphraseFile, passphraseEnv, "New passphrase", true);
    OwnerKeyPair key = OwnerKeyPair.generate();
    OwnerKeyFile.create(out, key, pass, params);
    Path pub = publicOut != null ? publicOut : out.resolveSibling(out.getFileName() + ".pub");
    Files.writeString(pub, key.recipient().toText() + "\n", StandardCharsets.UTF_8);
    root.out.println("key file:   " + out + " (0600, " + params.algorithm() + ")");
    root.out.println("public key: " + key.recipient().toText());
    root.out.println("key id:     " + key.recipient().keyIdHex());
    root.out.println("Give the public key to the uploader. Print a paper backup with: mecam-recover export-key -k " + out);
    key.destroy();
    return ExitCodes.OK;
  }
}
