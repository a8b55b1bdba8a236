package org.mecam.recovery;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.RecoveryCode;
import org.mecam.secrets.SecretFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Prints the printable recovery code of the owner key (a paper backup) or its public key. */
@Command(name = "export-key", description = "Print the recovery code (paper backup) of the owner key.")
final class ExportKeyCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Mixin KeyOptions key;

  @Option(names = {"-o", "--out"}, description = "Write to this file (created 0600) instead of stdout.")
  Path out;

  @Option(names = "--public", description = "Print only the public key (safe to share).")
  boolean publicOnly;

  @Override
  public Integer call() throws Exception {
    OwnerKeyPair owner = key.unlock();
    try {
      String text = publicOnly ? owner.recipient().toText() + "\n" : RecoveryCode.encode(owner);
      if (out != null) {
        SecretFiles.createNew(out, text);
      } else {
        root.out.print(text);
      }
      if (!publicOnly) {
        root.err.println("Anyone holding this code can decrypt every recording: keep it offline.");
      }
      return ExitCodes.OK;
    } finally {
      owner.destroy();
    }
  }
}
