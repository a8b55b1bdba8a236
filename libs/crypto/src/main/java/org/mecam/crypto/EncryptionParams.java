package org.mecam.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings for encrypting one file: content type, recipients, the camera and media id
 * the file is bound to, suite, padding and compression; build with {@link #builder()}.
 */
public final class EncryptionParams {
  /** 64 KiB: JCE AES-GCM reaches its full rate there and seeking reads at most 64 KiB extra. */
  public static final int DEFAULT_SEGMENT_SIZE = 1 << 16;

  private final String contentType;
  private final List<RecipientKey> recipients;
  private final Suite suite;
  private final boolean padding;
  private final Compression compression;
  private final int segmentLog;
  private final byte[] trustedSha256;
  private final SecureRandom random;
  private final FileBinding binding;

  private EncryptionParams(Builder b) {
    this.binding = b.binding;
    this.contentType = b.contentType;
    this.recipients = List.copyOf(b.recipients);
    this.suite = b.suite;
    this.padding = b.padding;
    this.compression = b.compression;
    this.segmentLog = b.segmentLog;
    this.trustedSha256 = b.trustedSha256 == null ? null : b.trustedSha256.clone();
    this.random = b.random;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String contentType() {
    return contentType;
  }

  public List<RecipientKey> recipients() {
    return recipients;
  }

  public Suite suite() {
    return suite;
  }

  public boolean padding() {
    return padding;
  }

  public Compression compression() {
    return compression;
  }

  public int segmentLog() {
    return segmentLog;
  }

  public byte[] trustedSha256() {
    return trustedSha256 == null ? null : trustedSha256.clone();
  }

  public SecureRandom random() {
    return random;
  }

  /** The camera and media id sealed into the file (format version 2), or null (version 1). */
  public FileBinding binding() {
    return binding;
  }

  /** Builder with the defaults stated on each setter. */
  public static final class Builder {
    private String contentType = "application/octet-stream";
    private final List<RecipientKey> recipients = new ArrayList<>();
    private Suite suite = Suite.AES_256_GCM;
    private boolean padding = true;
    private Compression compression = Compression.AUTO;
    private int segmentLog = 16;
    private byte[] trustedSha256;
    private SecureRandom random;
    private FileBinding binding;

    /**
     * Binds the file to what it is (format version 2): the camera and media id are sealed and
     * authenticated in its header, so a reader expecting another id refuses it. Every archived
     * clip and snapshot should be bound; without a binding the file is written as version 1.
     */
    public Builder binding(FileBinding binding) {
      this.binding = binding;
      return this;
    }

    /** As {@link #binding(FileBinding)}: {@code binding(cameraId, mediaId)}. */
    public Builder binding(String cameraId, String mediaId) {
      return binding(new FileBinding(cameraId, mediaId));
    }

    /** Default application/octet-stream; at most 255 UTF-8 bytes; stored encrypted. */
    public Builder contentType(String contentType) {
      this.contentType = Objects.requireNonNull(contentType);
      return this;
    }

    /** At least one recipient (the owner); add the offline backup key as a second one. */
    public Builder recipient(RecipientKey key) {
      recipients.add(Objects.requireNonNull(key));
      return this;
    }

    public Builder recipients(List<RecipientKey> keys) {
      keys.forEach(this::recipient);
      return this;
    }

    /** Default AES-256-GCM; use ChaCha20-Poly1305 on hosts without AES instructions. */
    public Builder suite(Suite suite) {
      this.suite = Objects.requireNonNull(suite);
      return this;
    }

    /** Default on: Padmé padding, at most ~12% larger, so sizes say little about the scene. */
    public Builder padding(boolean padding) {
      this.padding = padding;
      return this;
    }

    /** Default AUTO: never for media types, otherwise only when a sample shrinks. */
    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression);
      return this;
    }

    /** Default 64 KiB; only tests should change it (2^12 .. 2^24 bytes). */
    public Builder segmentSize(int bytes) {
      if (Integer.bitCount(bytes) != 1 || bytes < (1 << 12) || bytes > (1 << 24)) {
        throw new IllegalArgumentException("segment size must be a power of two in 4 KiB..16 MiB");
      }
      this.segmentLog = Integer.numberOfTrailingZeros(bytes);
      return this;
    }

    /**
     * A plaintext SHA-256 the caller has already verified (the uploader checks the camera's hash
     * while staging); the encryptor then records it instead of hashing again, which saves the
     * SHA-256 cost (about 1.6 GB/s here, a third of AES-GCM's rate). A wrong value is caught by
     * every later decrypt or verify as a hash mismatch, never silently.
     */
    public Builder trustedPlaintextSha256(byte[] sha256) {
      if (sha256 != null && sha256.length != 32) {
        throw new IllegalArgumentException("a SHA-256 has 32 bytes");
      }
      this.trustedSha256 = sha256 == null ? null : sha256.clone();
      return this;
    }

    /** Source of the file key, nonce prefix and ephemeral keys; default a new SecureRandom. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    public EncryptionParams build() {
      if (recipients.isEmpty()) {
        throw new IllegalArgumentException("at least one recipient is required");
      }
      if (recipients.size() > 32) {
        throw new IllegalArgumentException("at most 32 recipients");
      }
      org.mecam.crypto.internal.Trailer.contentTypeBytes(contentType);
      if (random == null) {
        random = new SecureRandom();
      }
      return new EncryptionParams(this);
    }
  }
}
