package org.mecam.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.mecam.secrets.SecretFileException;
import org.mecam.secrets.SecretFiles;

/**
 * Stores the owner's private key on disk encrypted under a passphrase (Argon2id, AES-256-GCM) as a
 * small JSON file created 0600; refuses to read one that group or others can access.
 */
public final class OwnerKeyFile {
  public static final String FORMAT = "mecam-owner-key-1";
  private static final Pattern FIELD =
      Pattern.compile("\"([A-Za-z]+)\"\\s*:\\s*(?:\"([^\"\\\\]*)\"|(-?[0-9]+))");

  private OwnerKeyFile() {}

  /** Writes a new key file (0600) for {@code key}; fails if the file exists. */
  public static void create(Path file, OwnerKeyPair key, char[] passphrase, KdfParams kdf)
      throws IOException {
    kdf.checkStrength();
    if (Files.exists(file)) {
      throw new KeyFileException("key file " + file + " already exists; refusing to overwrite it");
    }
    writeAtomically(file, encode(key, passphrase, kdf, new SecureRandom()));
  }

  /**
   * Decrypts the private key; the caller should {@link OwnerKeyPair#destroy()} it when done. A key
   * file whose KDF parameters are below the documented floor (or above the ceiling) is refused
   * before any work: it says to rewrap it with {@code mecam-recover passwd}.
   */
  public static OwnerKeyPair unlock(Path file, char[] passphrase) throws IOException {
    return unlock(file, passphrase, false);
  }

  private static OwnerKeyPair unlock(Path file, char[] passphrase, boolean weakAllowed)
      throws IOException {
    checkPermissions(file);
    Map<String, String> f = parse(Files.readString(file, StandardCharsets.UTF_8), file);
    RecipientKey pub = RecipientKey.parse(f.get("publicKey"));
    KdfParams kdf = kdfOf(f, file);
    try {
      kdf.checkStrength();
    } catch (IllegalArgumentException e) {
      if (!weakAllowed || kdf.memoryKiB() > KdfParams.ARGON2_MAX_MEMORY_KIB
          || kdf.iterations() > KdfParams.ARGON2_MAX_ITERATIONS
          || kdf.parallelism() > KdfParams.ARGON2_MAX_PARALLELISM) {
        throw new KeyFileException("key file " + file + " is refused: " + e.getMessage()
            + "; rewrap it with stronger parameters: mecam-recover passwd -k " + file);
      }
    }
    byte[] salt = b64(f, "kdfSalt", file);
    byte[] nonce = b64(f, "nonce", file);
    byte[] ct = b64(f, "encryptedPrivateKey", file);
    byte[] kek = deriveKey(passphrase, salt, kdf);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(pub));
      byte[] sk = c.doFinal(ct);
      OwnerKeyPair pair = OwnerKeyPair.fromPrivateKey(sk);
      Arrays.fill(sk, (byte) 0);
      if (!pair.recipient().equals(pub)) {
        throw new KeyFileException("key file " + file + " is corrupt: keys do not match");
      }
      return pair;
    } catch (AEADBadTagException e) {
      throw new WrongPassphraseException(
          "wrong passphrase for key file " + file + " (or the file was altered)");
    } catch (GeneralSecurityException e) {
      throw new KeyFileException("cannot decrypt key file " + file + ": " + e.getMessage());
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  /**
   * Fails with {@link WrongPassphraseException} unless {@code passphrase} opens the key file; unlike
   * {@link #unlock} it also opens a key file below the KDF floor (to check it before a rewrap).
   */
  public static void checkPassphrase(Path file, char[] passphrase) throws IOException {
    unlock(file, passphrase, true).destroy();
  }

  /** Reads only the public key, which needs no passphrase. */
  public static RecipientKey readRecipient(Path file) throws IOException {
    Map<String, String> f = parse(Files.readString(file, StandardCharsets.UTF_8), file);
    return RecipientKey.parse(f.get("publicKey"));
  }

  /**
   * Re-encrypts the private key under a new passphrase; no encrypted media file changes. This is
   * the one reader that accepts a key file below the KDF floor (one written before the floor
   * existed), since rewrapping it with {@code kdf} is the way out.
   */
  public static void changePassphrase(
      Path file, char[] oldPassphrase, char[] newPassphrase, KdfParams kdf) throws IOException {
    kdf.checkStrength();
    OwnerKeyPair pair = unlock(file, oldPassphrase, true);
    try {
      writeAtomically(file, encode(pair, newPassphrase, kdf, new SecureRandom()));
    } finally {
      pair.destroy();
    }
  }

  /** Refuses a key file whose mode gives group or others any access (POSIX file systems only). */
  public static void checkPermissions(Path file) throws IOException {
    try {
      SecretFiles.checkPermissions(file, "key", SecretFiles.Access.OWNER_ONLY);
    } catch (SecretFileException e) {
      throw new KeyFileException(e.getMessage());
    }
  }

  static String encode(OwnerKeyPair key, char[] passphrase, KdfParams kdf, SecureRandom random) {
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] kek = deriveKey(passphrase, salt, kdf);
    byte[] sk = key.privateKeyBytes();
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(key.recipient()));
      byte[] ct = c.doFinal(sk);
      Base64.Encoder b = Base64.getEncoder();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", FORMAT);
      m.put("publicKey", key.recipient().toText());
      m.put("keyId", key.recipient().keyIdHex());
      m.put("kdf", kdf.algorithm());
      if (KdfParams.ARGON2ID.equals(kdf.algorithm())) {
        m.put("kdfMemoryKiB", kdf.memoryKiB());
        m.put("kdfParallelism", kdf.parallelism());
      }
      m.put("kdfIterations", kdf.iterations());
      m.put("kdfSalt", b.encodeToString(salt));
      m.put("cipher", "aes-256-gcm");
      m.put("nonce", b.encodeToString(nonce));
      m.put("encryptedPrivateKey", b.encodeToString(ct));
      StringBuilder s = new StringBuilder("{\n");
      int i = 0;
      for (Map.Entry<String, Object> e : m.entrySet()) {
        s.append("  \"").append(e.getKey()).append("\": ");
        s.append(e.getValue() instanceof String v ? "\"" + v + "\"" : e.getValue());
        s.append(++i < m.size() ? ",\n" : "\n");
      }
      return s.append("}\n").toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(kek, (byte) 0);
      Arrays.fill(sk, (byte) 0);
    }
  }

  private static byte[] aad(RecipientKey pub) {
    byte[] label = FORMAT.getBytes(StandardCharsets.US_ASCII);
    byte[] pk = pub.bytes();
    byte[] out = Arrays.copyOf(label, label.length + pk.length);
    System.arraycopy(pk, 0, out, label.length, pk.length);
    return out;
  }

  /** The passphrase as UTF-8 of its Unicode NFC form, so the same words type the same key. */
  static byte[] passphraseBytes(char[] passphrase) {
    String nfc = Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC);
    ByteBuffer bb = StandardCharsets.UTF_8.encode(nfc);
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    return out;
  }

  static byte[] deriveKey(char[] passphrase, byte[] salt, KdfParams kdf) {
    if (KdfParams.PBKDF2.equals(kdf.algorithm())) {
      try {
        // PBEKeySpec encodes chars as UTF-8 in SunJCE's PBKDF2WithHmacSHA256; we pass NFC text.
        String nfc = Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC);
        PBEKeySpec spec = new PBEKeySpec(nfc.toCharArray(), salt, kdf.iterations(), 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    byte[] pass = passphraseBytes(passphrase);
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(kdf.memoryKiB())
            .withIterations(kdf.iterations())
            .withParallelism(kdf.parallelism())
            .build());
    byte[] out = new byte[32];
    gen.generateBytes(pass, out);
    Arrays.fill(pass, (byte) 0);
    return out;
  }

  private static KdfParams kdfOf(Map<String, String> f, Path file) throws KeyFileException {
    try {
      String alg = f.get("kdf");
      int it = Integer.parseInt(f.get("kdfIterations"));
      if (KdfParams.ARGON2ID.equals(alg)) {
        return new KdfParams(
            alg, Integer.parseInt(f.get("kdfMemoryKiB")), it,
            Integer.parseInt(f.get("kdfParallelism")));
      }
      return new KdfParams(alg, 0, it, 0);
    } catch (RuntimeException e) {
      throw new KeyFileException("key file " + file + " has bad KDF parameters: " + e.getMessage());
    }
  }

  private static byte[] b64(Map<String, String> f, String name, Path file)
      throws KeyFileException {
    String v = f.get(name);
    if (v == null) {
      throw new KeyFileException("key file " + file + " lacks field " + name);
    }
    return Base64.getDecoder().decode(v);
  }

  static Map<String, String> parse(String json, Path file) throws KeyFileException {
    Map<String, String> m = new LinkedHashMap<>();
    Matcher x = FIELD.matcher(json);
    while (x.find()) {
      m.put(x.group(1), x.group(2) != null ? x.group(2) : x.group(3));
    }
    if (!FORMAT.equals(m.get("format"))) {
      throw new KeyFileException(
          "file " + file + " is not a mecam owner key file (format is not " + FORMAT + ")");
    }
    if (m.get("publicKey") == null) {
      throw new KeyFileException("key file " + file + " lacks field publicKey");
    }
    return m;
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    try {
      SecretFiles.write(file, content);
    } catch (SecretFileException e) {
      throw new IOException(e.getMessage());
    }
  }
}
