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
import java.nio.file.attribute.FileTime;
import org.mecam.crypto.EncryptingOutputStream;
import org.mecam.crypto.EncryptionParams;
import org.mecam.crypto.MediaEncryptor;
import org.mecam.crypto.RecipientKey;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.domain.MediaItem;

/**
 * Seals media with the project's encrypted file format (libs/crypto: segmented AES-256-GCM, the file
 * key wrapped for each recipient public key); refuses to work at all without a recipient key, and
 * picks the key file up when it appears or changes.
 */
@ApplicationScoped
public class MecamMediaSealer implements MediaSealer {
  private final Optional<Path> file;
  private List<RecipientKey> recipients = List.of();
  private String refusal;
  private FileTime loadedMtime;
  private long loadedSize = -1;

  public MecamMediaSealer(UploaderConfig config) {
    this.file = config.recipientsFile();
    if (file.isEmpty()) {
      refusal = "no recipient public key configured (mecam.uploader.recipients-file); "
          + "refusing to upload anything unencrypted";
      Log.error(refusal);
    } else {
      reload();
    }
  }

  /** Reads the key file again when its modification time or size changed (or it appeared). */
  private synchronized void reload() {
    if (file.isEmpty()) {
      return;
    }
    Path f = file.get();
    FileTime mtime;
    long size;
    try {
      mtime = Files.getLastModifiedTime(f);
      size = Files.size(f);
    } catch (IOException e) {
      if (refusal == null || loadedSize != -2) {
        refusal = "archive public key " + f + " is absent; pulling and uploading nothing until it appears"
            + " (refusing to store anything unencrypted)";
        Log.error(refusal);
      }
      recipients = List.of();
      loadedMtime = null;
      loadedSize = -2;
      return;
    }
    if (mtime.equals(loadedMtime) && size == loadedSize) {
      return;
    }
    loadedMtime = mtime;
    loadedSize = size;
    try {
      recipients = RecipientKeys.read(f);
      refusal = null;
      Log.infof("media is encrypted for %d recipient key(s): %s", recipients.size(),
          recipients.stream().map(RecipientKey::keyIdHex).toList());
    } catch (IOException e) {
      recipients = List.of();
      refusal = "cannot read recipient keys: " + e.getMessage() + "; refusing to upload anything unencrypted";
      Log.error(refusal);
    }
  }

  @Override
  public synchronized Optional<String> refusal() {
    reload();
    return Optional.ofNullable(refusal);
  }

  private synchronized List<RecipientKey> recipientsOrThrow() throws IOException {
    reload();
    if (refusal != null) {
      throw new IOException(refusal);
    }
    return recipients;
  }

  private EncryptionParams params(MediaItem item) throws IOException {
    // Format version 2: camera and media id authenticated in the header, so a swapped or planted file
    // is refused on playback.
    return EncryptionParams.builder()
        .binding(item.camera(), item.mediaId())
        .contentType(item.contentType())
        .recipients(recipientsOrThrow())
        .trustedPlaintextSha256(HexFormat.of().parseHex(item.sha256()))
        .build();
  }

  @Override
  public EncryptingOutputStream open(MediaItem item, OutputStream out) throws IOException {
    return MediaEncryptor.openStream(out, params(item), false);
  }

  @Override
  public SealedFile seal(MediaItem item, Path plaintext, Path target) throws IOException {
    List<RecipientKey> keys = recipientsOrThrow();
    EncryptionParams params = EncryptionParams.builder()
        .binding(item.camera(), item.mediaId())
        .contentType(item.contentType())
        .recipients(keys)
        .trustedPlaintextSha256(HexFormat.of().parseHex(item.sha256()))
        .build();
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    Files.createDirectories(target.getParent());
    MessageDigest md5 = digest("MD5");
    long size;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        InputStream in = Files.newInputStream(plaintext)) {
      OutputStream out = new BufferedOutputStream(new DigestOutputStream(Channels.newOutputStream(ch), md5), 1 << 16);
      MediaEncryptor.encrypt(in, out, params);
      out.flush();
      ch.force(true);
      size = ch.size();
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    FileSync.directory(target.getParent());
    return new SealedFile(target, size, HexFormat.of().formatHex(md5.digest()), null);
  }

  @Override
  public SealedFile describe(Path sealed) throws IOException {
    MessageDigest md5 = digest("MD5");
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(sealed)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        md5.update(buf, 0, n);
        size += n;
      }
    }
    return new SealedFile(sealed, size, HexFormat.of().formatHex(md5.digest()), null);
  }

  static MessageDigest digest(String alg) {
    try {
      return MessageDigest.getInstance(alg);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
