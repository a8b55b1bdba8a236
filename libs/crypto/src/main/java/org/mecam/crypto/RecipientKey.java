package org.mecam.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An X25519 public key that files are encrypted to; the only key material an encrypting service
 * holds. Its text form is {@code mecam-pub-1:<base64url of the 32 key bytes>}.
 */
public final class RecipientKey {
  public static final String TEXT_PREFIX = "mecam-pub-1:";
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private RecipientKey(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an X25519 public key has 32 bytes, got " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  public static RecipientKey ofBytes(byte[] raw) {
    return new RecipientKey(raw);
  }

  /** Parses the text form written by {@link #toText()}, ignoring surrounding whitespace. */
  public static RecipientKey parse(String text) {
    String t = text.strip();
    if (!t.startsWith(TEXT_PREFIX)) {
      throw new IllegalArgumentException("a recipient key starts with " + TEXT_PREFIX);
    }
    return new RecipientKey(Base64.getUrlDecoder().decode(t.substring(TEXT_PREFIX.length())));
  }

  public String toText() {
    return TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 8-byte id written in each recipient stanza: the first 8 bytes of SHA-256(key). */
  public byte[] keyId() {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes), 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String keyIdHex() {
    return HexFormat.of().formatHex(keyId());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecipientKey r && Arrays.equals(bytes, r.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toText();
  }
}
