package org.mecam.recovery;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mecam.crypto.DecryptedFileSummary;
import org.mecam.crypto.ExpectedBinding;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.OwnerKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Authenticates every segment and checks size and SHA-256 without writing any plaintext. */
@Command(name = "verify", description = "Authenticate files or folders; writes no plaintext.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand root;

  @Mixin KeyOptions key;

  @Mixin BindingOptions binding;

  @Parameters(arity = "1..*", paramLabel = "INPUT")
  List<Path> inputs;

  @Override
  public Integer call() throws Exception {
    ExpectedBinding expected;
    try {
      expected = binding.expected();
    } catch (IllegalArgumentException e) {
      root.err.println("mecam-recover: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    OwnerKeyPair owner = key.unlock();
    try {
      return DecryptCommand.FileWalk.each(root, inputs, null, (src, dst) -> {
        try (InputStream in = Files.newInputStream(src)) {
          DecryptedFileSummary s = MediaDecryptor.verify(in, owner, expected);
          return "ok " + src + " (" + s.contentType() + ", " + s.plaintextSize() + " bytes, sha256 "
              + s.plaintextSha256Hex() + "; " + BindingOptions.describe(s) + ")";
        }
      }, false);
    } finally {
      owner.destroy();
    }
  }
}
