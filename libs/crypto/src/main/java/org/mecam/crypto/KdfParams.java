package org.mecam.crypto;

/**
 * How a passphrase becomes the key that encrypts the owner's private key: Argon2id (default) or,
 * as a documented fallback, PBKDF2-HMAC-SHA256 with at least 600,000 iterations.
 *
 * <p>Argon2id has a floor (docs/encryption-format.md §6.1): at least {@value #ARGON2_MIN_MEMORY_KIB}
 * KiB and {@value #ARGON2_MIN_ITERATIONS} passes (OWASP's minimum; RFC 9106 recommends more), and a
 * ceiling so a key file cannot make its reader allocate without bound. {@link OwnerKeyFile} enforces
 * it when it creates a key file and when it reads one ({@link #checkStrength()}).
 */
public record KdfParams(String algorithm, int memoryKiB, int iterations, int parallelism) {
  public static final String ARGON2ID = "argon2id";
  public static final String PBKDF2 = "pbkdf2-hmac-sha256";
  public static final int PBKDF2_MIN_ITERATIONS = 600_000;
  /** 19 MiB: OWASP's Argon2id minimum (m = 19 MiB, t = 2, p = 1). */
  public static final int ARGON2_MIN_MEMORY_KIB = 19 * 1024;
  public static final int ARGON2_MIN_ITERATIONS = 2;
  /** 4 GiB, 64 passes, 16 lanes: beyond any sane key file; refused so reading stays bounded. */
  public static final int ARGON2_MAX_MEMORY_KIB = 4 * 1024 * 1024;
  public static final int ARGON2_MAX_ITERATIONS = 64;
  public static final int ARGON2_MAX_PARALLELISM = 16;

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

  /**
   * Throws {@link IllegalArgumentException} naming the documented bounds when these parameters are
   * weaker than the floor or beyond the ceiling (Argon2id: 19,456..4,194,304 KiB, 2..64 passes,
   * 1..16 lanes; PBKDF2: at least 600,000 iterations).
   */
  public KdfParams checkStrength() {
    if (ARGON2ID.equals(algorithm)
        && (memoryKiB < ARGON2_MIN_MEMORY_KIB || iterations < ARGON2_MIN_ITERATIONS
            || memoryKiB > ARGON2_MAX_MEMORY_KIB || iterations > ARGON2_MAX_ITERATIONS
            || parallelism > ARGON2_MAX_PARALLELISM)) {
      throw new IllegalArgumentException(
          "Argon2id parameters m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism
              + " are outside the allowed range (memory 19456..4194304 KiB, iterations 2..64,"
              + " parallelism 1..16)");
    }
    return this;
  }

  /** Default: Argon2id, 64 MiB, 3 passes, 1 lane (RFC 9106's second recommendation, one lane). */
  public static KdfParams argon2idDefault() {
    return new KdfParams(ARGON2ID, 64 * 1024, 3, 1);
  }

  /** The cheapest parameters allowed (the documented floor: 19 MiB, 2 passes, 1 lane). */
  public static KdfParams argon2idMinimum() {
    return new KdfParams(ARGON2ID, ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_ITERATIONS, 1);
  }

  /** For tests: the floor ({@link #argon2idMinimum()}); nothing cheaper can be written or read. */
  public static KdfParams argon2idForTests() {
    return argon2idMinimum();
  }

  public static KdfParams pbkdf2(int iterations) {
    return new KdfParams(PBKDF2, 0, iterations, 0);
  }
}
