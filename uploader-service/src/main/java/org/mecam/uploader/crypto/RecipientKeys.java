package org.mecam.uploader.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mecam.crypto.RecipientKey;

/** Reads the recipients file: one {@code mecam-pub-1:...} public key per line, {@code #} comments. */
public final class RecipientKeys {
  private RecipientKeys() {}

  public static List<RecipientKey> read(Path file) throws IOException {
    List<RecipientKey> keys = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      try {
        keys.add(RecipientKey.parse(t));
      } catch (IllegalArgumentException e) {
        throw new IOException("recipients file " + file + " line " + n + ": " + e.getMessage());
      }
    }
    if (keys.isEmpty()) {
      throw new IOException("recipients file " + file + " holds no public key");
    }
    return List.copyOf(keys);
  }
}
