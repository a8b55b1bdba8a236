package org.mecam.uploader.crypto;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.crypto.RecipientKey;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.service.MediaFetcher;

/**
 * Seals media with the project's encrypted file format (libs/crypto: segmented AES-256-GCM, the file
 * key wrapped for each recipient public key); refuses to work at all without a recipient key.
 */
@ApplicationScoped
public class MecamMediaSealer implements MediaSealer {
  private final List<RecipientKey> recipients;
  private final String refusal;

  public MecamMediaSealer(UploaderConfig config) {
    List<RecipientKey> keys = List.of();
    String why = null;
    if (config.recipientsFile().isEmpty()) {
      why = "no recipient public key configured (mecam.uploader.recipients-file); "
          + "refusing to upload anything unencrypted";
    } else {
      try {
        keys = RecipientKeys.read(config.recipientsFile().get());
        Log.infof("media is encrypted for %d recipient key(s): %s", keys.size(),
            keys.stream().map(RecipientKey::keyIdHex).toList());
      } catch (IOException e) {
        why = "cannot read recipient keys: " + e.getMessage() + "; refusing to upload anything unencrypted";
      }
    }
    if (why != null) {
      Log.error(why);
    }
    this.recipients = keys;
    this.refusal = why;
  }

  @Override
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  @Override
  public SealedFile seal(MediaItem item, Path plaintext, Path target) throws IOException {
    if (refusal != null) {
      throw new IOException(refusal);
    }
    EncryptionParams params = EncryptionParams.builder()
        .contentType(item.contentType())
        .recipients(recipients)
        .trustedPlaintextSha256(HexFormat.of().parseHex(item.sha256()))
        .build();
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    Files.createDirectories(target.getParent());
    MessageDigest md5 = digest("MD5");
    MessageDigest sha = digest("SHA-256");
    long size;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        InputStream in = Files.newInputStream(plaintext)) {
      OutputStream out = new BufferedOutputStream(new DigestOutputStream(new DigestOutputStream(
          Channels.newOutputStream(ch), md5), sha), 1 << 16);
      MediaEncryptor.encrypt(in, out, params);
      out.flush();
      ch.force(true);
      size = ch.size();
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MediaFetcher.syncDirectory(target.getParent());
    return new SealedFile(target, size, HexFormat.of().formatHex(md5.digest()),
        HexFormat.of().formatHex(sha.digest()));
  }

  @Override
  public SealedFile describe(Path sealed) throws IOException {
    MessageDigest md5 = digest("MD5");
    MessageDigest sha = digest("SHA-256");
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(sealed)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        md5.update(buf, 0, n);
        sha.update(buf, 0, n);
        size += n;
      }
    }
    return new SealedFile(sealed, size, HexFormat.of().formatHex(md5.digest()),
        HexFormat.of().formatHex(sha.digest()));
  }

  private static MessageDigest digest(String alg) {
    try {
      return MessageDigest.getInstance(alg);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
