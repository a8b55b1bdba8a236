package org.mecam.crypto;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A printable paper backup of the owner's private key: base32 in groups of four with a 4-byte
 * SHA-256 checksum, so a dead server does not mean lost footage and a typo is caught on import.
 */
public final class RecoveryCode {
  public static final String TITLE = "MECAM RECOVERY KEY v1";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int VERSION = 1;

  private RecoveryCode() {}

  /** Returns the printable text: a title line, then 15 groups of 4 characters on 3 lines. */
  public static String encode(OwnerKeyPair key) {
    byte[] sk = key.privateKeyBytes();
    byte[] data = new byte[37];
    data[0] = VERSION;
    System.arraycopy(sk, 0, data, 1, 32);
    System.arraycopy(checksum(data, 33), 0, data, 33, 4);
    Arrays.fill(sk, (byte) 0);
    String b32 = base32(data);
    Arrays.fill(data, (byte) 0);
    StringBuilder s = new StringBuilder(TITLE);
    s.append(" (key id ").append(key.recipient().keyIdHex()).append(")\n");
    for (int i = 0; i < b32.length(); i += 4) {
      s.append(b32, i, Math.min(i + 4, b32.length()));
      s.append((i / 4) % 5 == 4 ? "\n" : "-");
    }
    return s.toString();
  }

  /** Parses the text (title line optional, case, spaces and dashes ignored) back into the key. */
  public static OwnerKeyPair decode(String text) {
    StringBuilder chars = new StringBuilder();
    for (String line : text.split("\\R")) {
      if (line.strip().toUpperCase().startsWith("MECAM")) {
        continue;
      }
      for (char c : line.toUpperCase().toCharArray()) {
        if (ALPHABET.indexOf(c) >= 0) {
          chars.append(c);
        } else if (c == '0') {
          chars.append('O'); // digits 0, 1, 8 are not in the alphabet; read them as look-alikes
        } else if (c == '1') {
          chars.append('I');
        } else if (c == '8') {
          chars.append('B');
        } else if (!Character.isWhitespace(c) && c != '-') {
          throw new IllegalArgumentException("recovery code contains invalid character '" + c + "'");
        }
      }
    }
    if (chars.length() != 60) {
      throw new IllegalArgumentException(
          "recovery code has " + chars.length() + " characters, expected 60");
    }
    // 60 characters carry 300 bits for 296 of data: the last character's low 4 bits are spare,
    // written as zero; anything else is a typo the checksum cannot see.
    if ((ALPHABET.indexOf(chars.charAt(59)) & 0x0F) != 0) {
      throw new IllegalArgumentException(
          "recovery code's last character is not one a writer produces (its 4 spare bits are not"
              + " zero): check for a typo");
    }
    byte[] data = unbase32(chars.toString(), 37);
    if (!MessageDigest.isEqual(checksum(data, 33), Arrays.copyOfRange(data, 33, 37))) {
      throw new IllegalArgumentException("recovery code checksum mismatch: check for a typo");
    }
    if (data[0] != VERSION) {
      throw new IllegalArgumentException("unknown recovery code version " + data[0]);
    }
    byte[] sk = Arrays.copyOfRange(data, 1, 33);
    try {
      return OwnerKeyPair.fromPrivateKey(sk);
    } finally {
      Arrays.fill(sk, (byte) 0);
      Arrays.fill(data, (byte) 0);
    }
  }

  private static byte[] checksum(byte[] data, int len) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(data, 0, len);
      return Arrays.copyOf(d.digest(), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base32(byte[] data) {
    StringBuilder s = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        s.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      s.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return s.toString();
  }

  private static byte[] unbase32(String s, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | ALPHABET.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }
}
