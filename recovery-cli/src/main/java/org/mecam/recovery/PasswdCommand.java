package org.mecam.recovery;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mecam.crypto.KdfParams;
import org.mecam.crypto.OwnerKeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Changes the key file's passphrase; no uploaded file is touched. */
@Command(name = "passwd", description = "Change the passphrase of a key file (no media file changes).")
final class PasswdCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Option(names = {"-k", "--key"}, required = true)
  Path keyFile;

  @Option(names = "--passphrase-file")
  Path passphraseFile;

  @Option(names = "--passphrase-env")
  String passphraseEnv;

  @Option(names = "--new-passphrase-file")
  Path newPassphraseFile;

  @Option(names = "--new-passphrase-env")
  String newPassphraseEnv;

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
    char[] old = PassphraseSource.read(passphraseFile, passphraseEnv, "Current passphrase", false);
    OwnerKeyFile.checkPassphrase(keyFile, old); // fail on a wrong passphrase before asking more
    char[] fresh = PassphraseSource.read(newPassphraseFile, newPassphraseEnv, "New passphrase", true);
    OwnerKeyFile.changePassphrase(keyFile, old, fresh, params);
    root.out.println("passphrase changed for " + keyFile);
    return ExitCodes.OK;
  }
}
