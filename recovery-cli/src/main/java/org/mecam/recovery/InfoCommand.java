package org.mecam.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mecam.crypto.EncryptedFileInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Shows what a file's clear header reveals; needs no key. */
@Command(name = "info", description = "Show the clear header of files (no key needed).")
final class InfoCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Parameters(arity = "1..*", paramLabel = "FILE")
  List<Path> files;

  @Override
  public Integer call() {
    int worst = ExitCodes.OK;
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
        root.out.println("  (content type, exact size and SHA-256 are encrypted)");
      } catch (IOException e) {
        root.err.println("mecam-recover: " + f + ": " + e.getMessage());
        worst = Math.max(worst, ExitCodes.of(e));
      }
    }
    return worst;
  }
}
