package org.mecam.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mecam.crypto.EncryptedFileInfo;
import org.mecam.crypto.FileBinding;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.OwnerKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Shows what a file's clear header reveals (no key needed); with a key it also authenticates the
 * header and shows the camera and media id a version-2 file is bound to (they are encrypted).
 */
@Command(name = "info", description = "Show the clear header of files; with a key (-k or"
    + " --recovery-code) also the camera and media id a file is bound to.")
final class InfoCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Option(names = {"-k", "--key"}, description = "Owner key file, to show the binding.")
  Path keyFile;

  @Option(names = "--recovery-code", description = "Recovery code file, to show the binding.")
  Path recoveryCode;

  @Option(names = "--passphrase-file")
  Path passphraseFile;

  @Option(names = "--passphrase-env")
  String passphraseEnv;

  @Parameters(arity = "1..*", paramLabel = "FILE")
  List<Path> files;

  @Override
  public Integer call() throws IOException {
    if (keyFile != null && recoveryCode != null) {
      root.err.println("mecam-recover: give -k or --recovery-code, not both");
      return ExitCodes.USAGE;
    }
    OwnerKeyPair owner = keyFile == null && recoveryCode == null
        ? null
        : KeyOptions.unlock(keyFile, recoveryCode, passphraseFile, passphraseEnv);
    int worst = ExitCodes.OK;
    try {
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          EncryptedFileInfo i = EncryptedFileInfo.read(in);
          root.out.println(f + ":");
          root.out.println("  format version: " + i.version());
          root.out.println("  suite:          " + i.suite());
          root.out.println("  segment size:   " + i.segmentSize() + " bytes");
          root.out.println("  compressed:     " + (i.compressed() ? "yes (zstd)" : "no"));
          root.out.println("  padded:         " + (i.padded() ? "yes (Padme)" : "no"));
          root.out.println("  file size:      " + Files.size(f) + " bytes");
          root.out.println("  recipients:     " + String.join(", ", i.recipientKeyIds()));
          if (owner != null) {
            try (InputStream again = Files.newInputStream(f)) {
              Optional<FileBinding> b = MediaDecryptor.readBinding(again, owner);
              root.out.println("  binding:        " + (b.isPresent()
                  ? "camera " + b.get().cameraId() + ", media " + b.get().mediaId()
                      + " (header authenticated)"
                  : "none (format version 1; header authenticated)"));
            }
          } else {
            root.out.println("  binding:        " + (i.version() >= 2
                ? "yes (camera and media id are encrypted; give -k to show them)"
                : "none (format version 1)"));
          }
          root.out.println("  (content type, exact size and SHA-256 are encrypted)");
        } catch (IOException e) {
          root.err.println("mecam-recover: " + f + ": " + e.getMessage());
          worst = Math.max(worst, ExitCodes.of(e));
        }
      }
    } finally {
      if (owner != null) {
        owner.destroy();
      }
    }
    return worst;
  }
}
