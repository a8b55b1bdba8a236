package org.mecam.recovery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mecam.crypto.KdfParams;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.RecoveryCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Rebuilds an owner key file from a printed recovery code, under a new passphrase. */
@Command(name = "import-key", description = "Create a key file from a recovery code.")
final class ImportKeyCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Option(names = "--code", required = true, description = "File holding the recovery code as printed.")
  Path code;

  @Option(names = {"-o", "--out"}, required = true)
  Path out;

  @Option(names = "--passphrase-file", description = "New passphrase for the key file.")
  Path passphraseFile;

  @Option(names = "--passphrase-env")
  String passphraseEnv;

  @Option(names = "--argon2-memory-kib", defaultValue = "65536",
      description = "Argon2id memory in KiB (default 65536; at least 19456).")
  int memoryKiB;

  @Option(names = "--argon2-iterations", defaultValue = "3",
      description = "Argon2id passes (default 3; at least 2).")
  int iterations;

  @Override
  public Integer call() throws Exception {
    KdfParams params;
    try {
      params = KeygenCommand.argon2(memoryKiB, iterations);
    } catch (IllegalArgumentException e) {
      root.err.println("mecam-recover: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    OwnerKeyPair key = RecoveryCode.decode(Files.readString(code, StandardCharsets.UTF_8));
    char[] pass = PassphraseSource.read(passphraseFile, passphraseEnv, "New passphrase", true);
    OwnerKeyFile.create(out, key, pass, params);
    root.out.println("key file " + out + " created for key id " + key.recipient().keyIdHex());
    key.destroy();
    return ExitCodes.OK;
  }
}
