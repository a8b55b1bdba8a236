package org.mecam.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mecam.crypto.ContentHashCheck;
import org.mecam.crypto.DecryptedFileSummary;
import org.mecam.crypto.ExpectedBinding;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.OwnerKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Decrypts files or whole folders downloaded from the cloud; output appears only once a file has
 * fully authenticated, so a damaged file never leaves partial plaintext behind.
 */
@Command(name = "decrypt", description = "Decrypt files or folders (to files or stdout).")
final class DecryptCommand implements Callable<Integer> {
  static final String SUFFIX = ".mecam";

  @ParentCommand RecoverCommand root;

  @Mixin KeyOptions key;

  @Mixin BindingOptions binding;

  @Option(names = {"-o", "--out"}, description = "Output file (one input) or folder (default: beside the input).")
  Path out;

  @Option(names = "--stdout", description = "Write the plaintext of the single input to stdout.")
  boolean stdout;

  @Option(names = "--no-hash-check", description = "Authenticate every segment but do not recompute"
      + " the plaintext SHA-256 (about twice as fast; run verify separately).")
  boolean noHashCheck;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Encrypted files or folders.")
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
      if (stdout) {
        if (inputs.size() != 1 || Files.isDirectory(inputs.get(0))) {
          root.err.println("mecam-recover: --stdout takes exactly one input file");
          return ExitCodes.USAGE;
        }
        try (InputStream in = Files.newInputStream(inputs.get(0))) {
          DecryptedFileSummary s =
              MediaDecryptor.decrypt(in, root.binaryOut, owner, check(), expected);
          root.binaryOut.flush();
          root.err.println("mecam-recover: " + inputs.get(0) + ": " + BindingOptions.describe(s));
        }
        return ExitCodes.OK;
      }
      return FileWalk.each(root, inputs, out, (src, dst) -> decryptOne(src, dst, owner, expected),
          true);
    } finally {
      owner.destroy();
    }
  }

  private ContentHashCheck check() {
    return noHashCheck ? ContentHashCheck.SKIP : ContentHashCheck.CHECK;
  }

  private String decryptOne(Path src, Path dst, OwnerKeyPair owner, ExpectedBinding expected)
      throws IOException {
    Files.createDirectories(dst.toAbsolutePath().getParent());
    // Written beside dst and moved into place only once the whole file has authenticated.
    DecryptedFileSummary s = MediaDecryptor.decryptFile(src, dst, owner, check(), expected);
    return "decrypted " + src + " -> " + dst + " (" + s.contentType() + ", " + s.plaintextSize()
        + " bytes, sha256 " + s.plaintextSha256Hex() + (s.sha256Checked() ? "" : " (not checked)")
        + "; " + BindingOptions.describe(s) + ")";
  }

  /** Expands folders and runs one action per encrypted file, carrying on after failures. */
  static final class FileWalk {
    interface Action {
      String apply(Path src, Path dst) throws IOException;
    }

    static int each(RecoverCommand root, List<Path> inputs, Path out, Action action,
        boolean writes) throws IOException {
      List<Path[]> jobs = new ArrayList<>();
      for (Path in : inputs) {
        if (Files.isDirectory(in)) {
          try (Stream<Path> s = Files.walk(in)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
              if (!isMecamFile(f)) {
                continue; // a Drive folder may hold other files; they are not ours to judge
              }
              Path base = out != null ? out.resolve(in.relativize(f).toString()) : f;
              jobs.add(new Path[] {f, outputName(base)});
            }
          }
        } else {
          Path dst = out != null && inputs.size() == 1 && !Files.isDirectory(out)
              ? out
              : outputName(out != null ? out.resolve(in.getFileName().toString()) : in);
          jobs.add(new Path[] {in, dst});
        }
      }
      int worst = ExitCodes.OK;
      int ok = 0;
      for (Path[] j : jobs) {
        try {
          root.out.println(action.apply(j[0], j[1]));
          ok++;
        } catch (IOException | RuntimeException e) {
          root.err.println("mecam-recover: " + j[0] + ": " + e.getMessage());
          worst = Math.max(worst, ExitCodes.of(e));
        }
      }
      if (jobs.size() > 1) {
        root.out.println(ok + " of " + jobs.size() + " files " + (writes ? "decrypted" : "verified"));
      }
      if (jobs.isEmpty()) {
        root.err.println("mecam-recover: no mecam files found");
        return ExitCodes.FAILURE;
      }
      return worst;
    }

    static boolean isMecamFile(Path f) {
      try (InputStream in = Files.newInputStream(f)) {
        return java.util.Arrays.equals(in.readNBytes(8), "MECAMENC".getBytes());
      } catch (IOException e) {
        return false;
      }
    }

    static Path outputName(Path encrypted) {
      String name = encrypted.getFileName().toString();
      String plain = name.endsWith(SUFFIX) && name.length() > SUFFIX.length()
          ? name.substring(0, name.length() - SUFFIX.length())
          : name + ".decrypted";
      return encrypted.resolveSibling(plain);
    }
  }
}
