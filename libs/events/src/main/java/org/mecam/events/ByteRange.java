package org.mecam.events;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How mecam's media endpoints (the agent's media server, the uploader's archive read, the web UI's
 * playback) answer a {@code Range} header, per RFC 9110 §14: one {@code bytes=first-last},
 * {@code bytes=first-} or {@code bytes=-suffix} range is served as 206; a range that starts at or
 * beyond the end is 416; anything else (several ranges, another unit, bad syntax, last before
 * first) is ignored and the whole representation served, as HTTP allows.
 */
public final class ByteRange {
  private static final Pattern SINGLE = Pattern.compile("(?i)bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)");

  /** What to answer. */
  public enum Kind { WHOLE, PARTIAL, UNSATISFIABLE }

  private final Kind kind;
  private final long first;
  private final long last;
  private final long size;

  private ByteRange(Kind kind, long first, long last, long size) {
    this.kind = kind;
    this.first = first;
    this.last = last;
    this.size = size;
  }

  /** Resolves {@code header} (null when absent) against a representation of {@code size} bytes. */
  public static ByteRange resolve(String header, long size) {
    ByteRange whole = new ByteRange(Kind.WHOLE, 0, size - 1, size);
    if (header == null) {
      return whole;
    }
    Matcher m = SINGLE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return whole;
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          return unsatisfiable(size);
        }
        return new ByteRange(Kind.PARTIAL, Math.max(0, size - suffix), size - 1, size);
      }
      long a = Long.parseLong(m.group(1));
      long b = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (b < a) {
        return whole;
      }
      if (a >= size) {
        return unsatisfiable(size);
      }
      return new ByteRange(Kind.PARTIAL, a, Math.min(b, size - 1), size);
    } catch (NumberFormatException e) {
      return whole; // more digits than a long holds: a range we cannot use
    }
  }

  private static ByteRange unsatisfiable(long size) {
    return new ByteRange(Kind.UNSATISFIABLE, 0, -1, size);
  }

  public Kind kind() {
    return kind;
  }

  /** HTTP status to answer: 200, 206 or 416. */
  public int status() {
    return switch (kind) {
      case WHOLE -> 200;
      case PARTIAL -> 206;
      case UNSATISFIABLE -> 416;
    };
  }

  /** First byte to send (0 for the whole representation). */
  public long first() {
    return first;
  }

  /** Last byte to send, inclusive. */
  public long last() {
    return last;
  }

  /** How many bytes to send (0 for 416). */
  public long length() {
    return kind == Kind.UNSATISFIABLE ? 0 : last - first + 1;
  }

  /** The Content-Range header for 206 and 416 answers; null for 200. */
  public String contentRange() {
    return switch (kind) {
      case WHOLE -> null;
      case PARTIAL -> "bytes " + first + "-" + last + "/" + size;
      case UNSATISFIABLE -> "bytes */" + size;
    };
  }
}
