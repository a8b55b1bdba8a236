package org.mecam.recovery;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mecam.crypto.KeyFileException;

/**
 * Gets a passphrase from a file (first line), an environment variable, or the terminal, in that
 * order of precedence, so the tool works both interactively and in scripts.
 */
final class PassphraseSource {
  private PassphraseSource() {}

  static char[] read(Path file, String envName, String prompt, boolean confirm) throws IOException {
    if (file != null) {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      s = nl >= 0 ? s.substring(0, nl) : s;
      return s.strip().toCharArray();
    }
    if (envName != null) {
      String v = System.getenv(envName);
      if (v == null) {
        throw new KeyFileException("environment variable " + envName + " is not set");
      }
      return v.toCharArray();
    }
    Console c = System.console();
    if (c == null) {
      throw new KeyFileException(
          "no terminal to ask for the passphrase; use --passphrase-file or --passphrase-env");
    }
    char[] p = c.readPassword("%s: ", prompt);
    if (confirm) {
      char[] again = c.readPassword("Repeat %s: ", prompt.toLowerCase());
      if (!Arrays.equals(p, again)) {
        throw new KeyFileException("the passphrases do not match");
      }
    }
    return p;
  }
}
