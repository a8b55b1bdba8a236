package org.mecam.webui.rest;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.mecam.crypto.DecryptingInputStream;
import org.mecam.crypto.EncryptedFileException;
import org.mecam.crypto.EncryptedFileInfo;
import org.mecam.crypto.EncryptedFileReader;
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
 * type comes from the media kind ({@link MediaHeaders}), never from the file's header.
 */
@ApplicationScoped
public class ArchivePlayback {

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
    if (info.compressed()) {
      return whole(m, channel, k);
    }
    EncryptedFileReader reader;
    try {
      reader = EncryptedFileReader.open(channel, k);
    } catch (ArchiveReadException e) {
      return failed(m, e);
    } catch (EncryptedFileException e) {
      archive.forget(m.mediaId());
      throw e;
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
  private Response whole(MediaView m, RemoteArchiveChannel channel, OwnerKeyPair k) {
    StreamingOutput body = out -> {
      try (InputStream in = Channels.newInputStream(channel);
          DecryptingInputStream plain = MediaDecryptor.decrypt(in, k)) {
        plain.transferTo(out);
      }
    };
    return MediaHeaders.apply(Response.ok(body), m).header("Accept-Ranges", "none")
        .header("Cache-Control", "no-store").build();
  }

  private static Response failed(MediaView m, ArchiveReadException e) {
    if (e.kind() != ArchiveReadException.Kind.NOT_FOUND) {
      Log.infof("archive playback of media %s: %s", m.mediaId(), e.getMessage());
    }
    return ApiErrorMappers.error(e.kind().status(), e.getMessage());
  }
}
