package org.mecam.crypto.internal;

/**
 * Computes Padmé padded lengths (Nikitin et al., PETS 2019): at most about 12% overhead while
 * leaking only O(log log L) bits of the length.
 */
public final class Padme {
  private Padme() {}

  /** Returns the padded length for a length, which is never smaller than the length itself. */
  public static long paddedLength(long length) {
    if (length < 2) {
      return length;
    }
    int e = 63 - Long.numberOfLeadingZeros(length); // floor(log2 L)
    int s = (31 - Integer.numberOfLeadingZeros(e)) + 1; // floor(log2 E) + 1
    int lastBits = e - s;
    long mask = (1L << lastBits) - 1;
    return (length + mask) & ~mask;
  }
}
