package org.mecam.recovery;

import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mecam-recover} entry point: decrypts, verifies and manages keys with nothing else running. */
@Command(
    name = "mecam-recover",
    mixinStandardHelpOptions = true,
    version = "mecam-recover 2 (reads file format versions 1 and 2)",
    description = "Decrypt, verify and inspect mecam encrypted files; manage the owner key.",
    subcommands = {
      KeygenCommand.class, DecryptCommand.class, VerifyCommand.class, InfoCommand.class,
      PasswdCommand.class, ExportKeyCommand.class, ImportKeyCommand.class, EncryptCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes:",
      "  0  success",
      "  1  I/O error or other failure",
      "  2  bad command line",
      "  3  wrong passphrase",
      "  4  key file or recovery code unusable (permissions, format, checksum)",
      "  5  the file is not encrypted for this key",
      "  6  authentication failed: tampered, truncated, appended data, header tampered, hash mismatch",
      "  7  not a mecam file, unknown format version, malformed header or body",
      "  8  not the clip expected: bound to another camera or media id, or not bound"
    })
public final class RecoverCommand {
  /** Where plaintext goes with --stdout; tests replace it. */
  OutputStream binaryOut = System.out;

  PrintStream out = System.out;
  PrintStream err = System.err;

  public static CommandLine commandLine(RecoverCommand root) {
    CommandLine cl = new CommandLine(root);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          root.err.println("mecam-recover: " + e.getMessage());
          return ExitCodes.of(e);
        });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new RecoverCommand()).execute(args));
  }
}
