package org.mecam.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.RecoveryCode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Command-line options that name the owner key (key file plus passphrase, or recovery code). */
final class KeyOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Exactly one place to take the key from. */
  static final class Source {
    @Option(names = {"-k", "--key"}, description = "Owner key file (asks for its passphrase).")
    Path keyFile;

    @Option(names = "--recovery-code", description = "File holding the printed recovery code.")
    Path recoveryCode;
  }

  @Option(names = "--passphrase-file", description = "Read the passphrase from the first line of this file.")
  Path passphraseFile;

  @Option(names = "--passphrase-env", description = "Read the passphrase from this environment variable.")
  String passphraseEnv;

  OwnerKeyPair unlock() throws IOException {
    return unlock(source.keyFile, source.recoveryCode, passphraseFile, passphraseEnv);
  }

  static OwnerKeyPair unlock(Path keyFile, Path recoveryCode, Path passphraseFile,
      String passphraseEnv) throws IOException {
    if (recoveryCode != null) {
      return RecoveryCode.decode(Files.readString(recoveryCode, StandardCharsets.UTF_8));
    }
    OwnerKeyFile.checkPermissions(keyFile);
    char[] pass = PassphraseSource.read(passphraseFile, passphraseEnv, "Passphrase", false);
    return OwnerKeyFile.unlock(keyFile, pass);
  }
}
