package org.mecam.webui.onboarding;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.mecam.crypto.KdfParams;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.crypto.RecipientKey;
import org.mecam.crypto.WrongPassphraseException;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.webui.config.WebUiConfig;

/**
 * The archive key pair made at first-run setup, exactly as {@code mecam-recover keygen} makes it: the
 * private half in the web UI's data directory ({@code owner.key}, 0600, encrypted under the owner's
 * archive passphrase with Argon2id), the public half as {@code archive-key.pub} where the uploader
 * reads it. An existing key file (an older installation, or one made with keygen) is kept: setup
 * then only checks that the passphrase opens it and writes the public half if it is missing.
 */
@ApplicationScoped
public class ArchiveKeyFiles {
  /** The passphrase does not open the existing key file. */
  public static final class WrongPassphrase extends RuntimeException {
    WrongPassphrase() {
      super("an archive key exists already and this passphrase does not open it; enter its passphrase");
    }
  }

  private final Path ownerKey;
  private final Path publicKey;
  private final KdfParams kdf;

  public ArchiveKeyFiles(WebUiConfig config, ServiceConfig service) {
    this.ownerKey = ownerKeyFile(config, service);
    this.publicKey = config.archivePublicKeyFile().orElse(service.dataDir().resolve("archive-key.pub"));
    this.kdf = new KdfParams(KdfParams.ARGON2ID, config.archiveKeyArgon2MemoryKib(),
        config.archiveKeyArgon2Iterations(), 1);
  }

  /** Where the owner key file is: the configured path, else {@code <data-dir>/owner.key}. */
  public static Path ownerKeyFile(WebUiConfig config, ServiceConfig service) {
    return config.ownerKeyFile().orElse(service.dataDir().resolve("owner.key"));
  }

  public Path ownerKey() {
    return ownerKey;
  }

  public Path publicKey() {
    return publicKey;
  }

  /**
   * Makes sure the key pair exists and opens with {@code passphrase}: creates it when missing,
   * otherwise checks the passphrase against it; then writes the public half when missing or
   * different. Returns the public key. The passphrase array is wiped.
   */
  public synchronized RecipientKey ensure(char[] passphrase) throws IOException {
    try {
      RecipientKey recipient;
      if (Files.exists(ownerKey)) {
        OwnerKeyPair opened;
        try {
          opened = OwnerKeyFile.unlock(ownerKey, passphrase);
        } catch (WrongPassphraseException e) {
          throw new WrongPassphrase();
        }
        recipient = opened.recipient();
        opened.destroy();
        Log.infof("first-run setup: the existing archive key %s (key id %s) is kept", ownerKey,
            recipient.keyIdHex());
      } else {
        OwnerKeyPair pair = OwnerKeyPair.generate();
        Files.createDirectories(ownerKey.toAbsolutePath().getParent());
        OwnerKeyFile.create(ownerKey, pair, passphrase, kdf);
        recipient = pair.recipient();
        pair.destroy();
        Log.infof("first-run setup: archive key created in %s (key id %s)", ownerKey, recipient.keyIdHex());
      }
      writePublic(recipient);
      return recipient;
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  /** The public half, when written: what the uploader encrypts to. */
  public java.util.Optional<RecipientKey> published() throws IOException {
    if (!Files.exists(publicKey)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(RecipientKey.parse(Files.readString(publicKey, StandardCharsets.UTF_8).strip()));
  }

  private void writePublic(RecipientKey recipient) throws IOException {
    if (published().filter(recipient::equals).isPresent()) {
      return;
    }
    Path dir = publicKey.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + publicKey.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, recipient.toText() + "\n", StandardCharsets.UTF_8);
      // Public, like keygen's .pub; readable by the uploader's user whatever its group.
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, publicKey, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    Log.infof("archive public key written to %s", publicKey);
  }
}
