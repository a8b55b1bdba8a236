package org.mecam.webui.rest;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.HexFormat;
import org.mecam.crypto.DecryptingInputStream;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileInfo;
import org.mecam.crypto.EncryptedFileReader;
import org.mecam.crypto.ExpectedBinding;
import org.mecam.crypto.MediaDecryptor;
import org.mecam.crypto.OwnerKeyPair;
import org.mecam.events.ByteRange;
import org.mecam.webui.domain.MediaView;
import org.mecam.webui.security.Caller;
import org.mecam.webui.service.ArchiveKey;
import org.mecam.webui.service.ArchiveReadException;
import org.mecam.webui.service.RemoteArchiveChannel;
import org.mecam.webui.service.UploaderArchive;

/**
 * Answers a playback request from the archive: the stored file is read through the uploader
 * ({@link UploaderArchive}), decrypted on the fly with the unlocked owner key, and served with
 * Range support (206/416) so the video seeks; only the segments a range needs are fetched. The content
 * type comes from the media kind ({@link MediaHeaders}), never from the file's header. Before any
 * plaintext is served the file must prove it is the clip asked for: bound to this camera and media id
 * (format version 2), and its recorded SHA-256 equal to the one the web UI recorded from the camera's
 * announcement (the only proof a version-1 file has); a swapped or planted file answers 409.
 */
@ApplicationScoped
public class ArchivePlayback {

  /** The status answered when the stored file is not the clip asked for (swapped or planted). */
  public static final int NOT_THIS_CLIP = 409;

  private final ArchiveKey key;
  private final UploaderArchive archive;

  public ArchivePlayback(ArchiveKey key, UploaderArchive archive) {
    this.key = key;
    this.archive = archive;
  }

  /** True when the archive can be played from once unlocked (owner key file and uploader set). */
  public boolean configured() {
    return key.configured() && archive.configured();
  }

  /**
   * The media decrypted from the archive; 423 with {@code lockedMessage} while the caller's session
   * has not unlocked the key,
   * 503/502/404 with a readable message when the uploader cannot deliver it.
   */
  public Response play(MediaView m, String range, Caller caller, String lockedMessage) throws IOException {
    if (!configured()) {
      return ApiErrorMappers.error(503, "playback from the archive is not configured (set mecam.webui.owner-key-file,"
          + " mecam.webui.uploader-url and mecam.webui.archive-token-file)");
    }
    OwnerKeyPair k = caller == null ? null : key.key(caller.credential()).orElse(null);
    if (k == null) {
      return ApiErrorMappers.error(423, lockedMessage);
    }
    RemoteArchiveChannel channel;
    EncryptedFileInfo info;
    try {
      channel = archive.open(m.mediaId());
      info = EncryptedFileInfo.read(Channels.newInputStream(channel));
      channel.position(0);
    } catch (ArchiveReadException e) {
      return failed(m, e);
    } catch (EncryptedFileException e) {
      archive.forget(m.mediaId());
      throw e;
    }
    ExpectedBinding expected = expected(m);
    EncryptedFileReader reader;
    try {
      // Opening authenticates the header, checks the binding and reads the trailer, all before
      // any plaintext is released (a compressed file too: its trailer is read the same way).
      reader = EncryptedFileReader.open(channel, k, expected);
    } catch (ArchiveReadException e) {
      return failed(m, e);
    } catch (EncryptedFileException e) {
      archive.forget(m.mediaId());
      if (isBindingFailure(e)) {
        return notThisClip(m, bindingReason(e), e.getMessage());
      }
      throw e;
    }
    String shaProblem = shaMismatch(m, reader);
    if (shaProblem != null) {
      reader.close();
      archive.forget(m.mediaId());
      return notThisClip(m, shaProblem, "recorded SHA-256 " + m.sha256() + ", file's "
          + HexFormat.of().formatHex(reader.recordedSha256()) + ", format version " + reader.formatVersion());
    }
    if (info.compressed()) {
      reader.close();
      try {
        return whole(m, archive.open(m.mediaId()), k, expected);
      } catch (ArchiveReadException e) {
        return failed(m, e);
      }
    }
    long size = reader.plaintextSize();
    ByteRange r = ByteRange.resolve(range, size);
    if (r.kind() == ByteRange.Kind.UNSATISFIABLE) {
      reader.close();
      return Response.status(416).header("Content-Range", r.contentRange()).build();
    }
    final long from = r.first();
    final long to = r.last();
    StreamingOutput body = out -> {
      try (reader) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos <= to) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity(), to - pos + 1));
          int n = reader.read(pos, buf);
          if (n <= 0) {
            break;
          }
          out.write(buf.array(), 0, n);
          pos += n;
        }
      } catch (ArchiveReadException e) {
        Log.infof("archive playback of media %s stopped: %s", m.mediaId(), e.getMessage());
        throw e;
      } catch (EncryptedFileException e) {
        archive.forget(m.mediaId());
        Log.warnf("archive playback of media %s stopped: %s", m.mediaId(), e.getMessage());
        throw e;
      }
    };
    Response.ResponseBuilder b = MediaHeaders.apply(Response.status(r.status()).entity(body), m)
        .header("Accept-Ranges", "bytes")
        .header("Content-Length", r.length()).header("Cache-Control", "no-store");
    if (r.contentRange() != null) {
      b.header("Content-Range", r.contentRange());
    }
    return b.build();
  }

  /** A compressed file can only be streamed from the start: the whole of it, without Range. */
  private Response whole(MediaView m, RemoteArchiveChannel channel, OwnerKeyPair k, ExpectedBinding expected) {
    StreamingOutput body = out -> {
      try (InputStream in = Channels.newInputStream(channel);
          DecryptingInputStream plain = MediaDecryptor.decrypt(in, k, expected)) {
        plain.transferTo(out);
      }
    };
    return MediaHeaders.apply(Response.ok(body), m).header("Accept-Ranges", "none")
        .header("Cache-Control", "no-store").build();
  }

  /**
   * What the stored file must be: bound (format version 2) to this camera and media id; a version-1
   * file (archived before bindings existed) only together with the SHA-256 check below.
   */
  static ExpectedBinding expected(MediaView m) {
    return ExpectedBinding.of(m.camera(), m.mediaId()).orVersion1();
  }

  /**
   * Why the file's recorded SHA-256 does not prove it is this clip, or null when it does: it must
   * equal the SHA-256 the web UI recorded from the camera's announcement. A version-1 file has no
   * other proof, so it is refused when nothing was recorded; a bound file is compared when a value
   * was recorded (a file planted with the public key may name this media id, §2.4).
   */
  static String shaMismatch(MediaView m, EncryptedFileReader reader) {
    String recorded = m.sha256();
    boolean bound = reader.binding() != null;
    if (recorded == null || recorded.isBlank()) {
      return bound ? null : "not bound to a media id, and no SHA-256 was recorded for this clip to compare";
    }
    String actual = HexFormat.of().formatHex(reader.recordedSha256());
    if (actual.equalsIgnoreCase(recorded.strip())) {
      return null;
    }
    return bound ? "its SHA-256 differs from the one recorded for this clip"
        : "not bound to a media id, and its SHA-256 differs from the one recorded for this clip";
  }

  static boolean isBindingFailure(EncryptedFileException e) {
    return e.kind() == EncryptedFileException.Kind.WRONG_BINDING
        || e.kind() == EncryptedFileException.Kind.UNBOUND;
  }

  /** The reason shown in the answer, from a binding failure's kind and message. */
  static String bindingReason(EncryptedFileException e) {
    if (e.kind() == EncryptedFileException.Kind.UNBOUND) {
      return "not bound to a media id";
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.contains("bound to another camera") ? "bound to another camera" : "bound to another media id";
  }

  /** The answer (and the one log line) for a stored file that is not the clip asked for. */
  static String notThisClipMessage(String reason) {
    return "the stored file is not the clip it claims to be (" + reason
        + ") — the archive may have been tampered with";
  }

  private static Response notThisClip(MediaView m, String reason, String detail) {
    Log.warnf("archive playback refused: camera %s media %s: the stored file is not this clip (%s; %s)",
        m.camera(), m.mediaId(), reason, detail);
    return ApiErrorMappers.error(NOT_THIS_CLIP, notThisClipMessage(reason));
  }

  private static Response failed(MediaView m, ArchiveReadException e) {
    if (e.kind() != ArchiveReadException.Kind.NOT_FOUND) {
      Log.infof("archive playback of media %s: %s", m.mediaId(), e.getMessage());
    }
    return ApiErrorMappers.error(e.kind().status(), e.getMessage());
  }
}
