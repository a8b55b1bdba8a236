package org.mecam.crypto;

/**
 * How a passphrase becomes the key that encrypts the owner's private key: Argon2id (default) or,
 * as a documented fallback, PBKDF2-HMAC-SHA256 with at least 600,000 iterations.
 */
public record KdfParams(String algorithm, int memoryKiB, int iterations, int parallelism) {
  public static final String ARGON2ID = "argon2id";
  public static final String PBKDF2 = "pbkdf2-hmac-sha256";
  public static final int PBKDF2_MIN_ITERATIONS = 600_000;

  public KdfParams {
    if (ARGON2ID.equals(algorithm)) {
      if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
        throw new IllegalArgumentException("invalid Argon2id parameters");
      }
    } else if (PBKDF2.equals(algorithm)) {
      if (iterations < PBKDF2_MIN_ITERATIONS) {
        throw new IllegalArgumentException("PBKDF2 needs at least 600,000 iterations");
      }
    } else {
      throw new IllegalArgumentException("unknown KDF " + algorithm);
    }
  }

  /** Default: Argon2id, 64 MiB, 3 passes, 1 lane (RFC 9106's second recommendation, one lane). */
  public static KdfParams argon2idDefault() {
    return new KdfParams(ARGON2ID, 64 * 1024, 3, 1);
  }

  /** Cheap Argon2id parameters for tests only. */
  public static KdfParams argon2idForTests() {
    return new KdfParams(ARGON2ID, 1024, 1, 1);
  }

  public static KdfParams pbkdf2(int iterations) {
    return new KdfParams(PBKDF2, 0, iterations, 0);
  }
}
