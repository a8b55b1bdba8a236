package org.mecam.uploader.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.mecam.secrets.SecretFileException;
import org.mecam.secrets.SecretFiles;

/**
 * The shared secret that opens the archive read endpoint, read once from an owner-only file; compares
 * presented tokens in constant time (both sides hashed first, so not even the length leaks).
 */
public final class ArchiveToken {
  private static final String BEARER = "Bearer ";
  private final byte[] digest;

  private ArchiveToken(String token) {
    this.digest = sha256(token);
  }

  /** Empty when no file is configured (endpoint disabled); fails when the file is unsafe or empty. */
  public static Optional<ArchiveToken> load(Optional<Path> file) throws IOException {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path f = file.get();
    String token;
    try {
      token = SecretFiles.read(f, "archive token");
    } catch (SecretFileException e) {
      throw new IOException(e.getMessage() + " (mecam.uploader.archive-token-file)");
    }
    if (token.length() < 16) {
      throw new IOException("archive token file " + f + " holds a token shorter than 16 characters");
    }
    return Optional.of(new ArchiveToken(token));
  }

  /** True when {@code authorization} is {@code Bearer <the token>}. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
