package org.mecam.recovery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.EncryptionResult;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.crypto.RecipientKey;
import org.mecam.crypto.Suite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Encrypts one file for public keys, as the uploader does (for tests, benchmarks and re-keying). */
@Command(name = "encrypt", description = "Encrypt a file for one or more public keys.")
final class EncryptCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Option(names = {"-r", "--recipient"}, description = "Public key text (mecam-pub-1:...).")
  List<String> recipients = new ArrayList<>();

  @Option(names = {"-R", "--recipient-file"}, description = "File holding a public key.")
  List<Path> recipientFiles = new ArrayList<>();

  @Option(names = "--content-type", defaultValue = "application/octet-stream")
  String contentType;

  @Option(names = "--suite", defaultValue = "AES_256_GCM", description = "AES_256_GCM or CHACHA20_POLY1305.")
  Suite suite;

  @Option(names = "--camera", description = "Bind the file to this camera id (with --media):"
      + " format version 2.")
  String camera;

  @Option(names = "--media", description = "Bind the file to this media id (with --camera).")
  String media;

  @Option(names = "--no-padding")
  boolean noPadding;

  @Option(names = {"-o", "--out"}, required = true)
  Path out;

  @Parameters(arity = "1", paramLabel = "INPUT")
  Path input;

  @Override
  public Integer call() throws Exception {
    EncryptionParams.Builder b =
        EncryptionParams.builder().contentType(contentType).suite(suite).padding(!noPadding);
    if ((camera == null) != (media == null)) {
      root.err.println("mecam-recover: --camera and --media go together");
      return ExitCodes.USAGE;
    }
    if (camera != null) {
      b.binding(camera, media);
    }
    for (String r : recipients) {
      b.recipient(RecipientKey.parse(r));
    }
    for (Path f : recipientFiles) {
      b.recipient(RecipientKey.parse(Files.readString(f, StandardCharsets.UTF_8)));
    }
    EncryptionResult r = MediaEncryptor.encryptFile(input, out, b.build());
    root.out.println("encrypted " + input + " -> " + out + " (" + r.plaintextSize() + " -> "
        + r.ciphertextSize() + " bytes" + (r.compressed() ? ", zstd" : "") + ", sha256 "
        + r.plaintextSha256Hex() + "; " + BindingOptions.describe(r.binding() == null ? 1 : 2,
            r.binding()) + ")");
    return ExitCodes.OK;
  }
}
