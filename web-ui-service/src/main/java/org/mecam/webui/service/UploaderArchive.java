package org.mecam.webui.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mecam.secrets.SecretFiles;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.service.ArchiveReadException.Kind;

/**
 * Reads stored media back, still encrypted, from the uploader's internal archive endpoint
 * ({@code GET {uploader}/internal/archive/{mediaId}} with a bearer token and {@code Range}), whichever
 * backend holds it, and hands out {@link RemoteArchiveChannel}s for random access on top of a shared
 * cache of recently fetched spans.
 */
@ApplicationScoped
public class UploaderArchive {
  /** The first fetch of a file: enough for any header (at most 2,900 bytes with 32 recipients). */
  static final int HEAD_FETCH = 4096;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<URI> base;
  private final Optional<Path> tokenFile;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient http;
  private final ArchiveBlockCache cache = new ArchiveBlockCache(24L * 1024 * 1024, Duration.ofMinutes(10).toMillis());
  private volatile String token;

  public UploaderArchive(WebUiConfig config, Clock clock) {
    this.base = config.uploaderUrl();
    this.tokenFile = config.archiveTokenFile();
    this.timeout = config.archiveFetchTimeout();
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** True when both the uploader URL and the archive token file are set. */
  public boolean configured() {
    return base.isPresent() && tokenFile.isPresent();
  }

  /** Opens a stored file for random access; fetches its first bytes unless they are cached. */
  public RemoteArchiveChannel open(String mediaId) throws ArchiveReadException {
    long now = clock.millis();
    ArchiveBlockCache.Entry entry = cache.entry(mediaId, now);
    if (entry == null || cache.covering(entry, 0) == null) {
      Fetched head = get(mediaId, 0, HEAD_FETCH - 1);
      entry = cache.entryFor(mediaId, head.total(), now);
      cache.put(mediaId, entry, new ArchiveBlockCache.Span(0, head.data()));
    }
    return new RemoteArchiveChannel(mediaId, (id, from, to) -> get(id, from, to).data(), cache, entry);
  }

  /** Forgets what is cached of a file (after it failed to decrypt, say, so the next try refetches). */
  public void forget(String mediaId) {
    cache.remove(mediaId);
  }

  long cachedBytes() {
    return cache.totalBytes();
  }

  private record Fetched(byte[] data, long total) {}

  private Fetched get(String mediaId, long from, long toInclusive) throws ArchiveReadException {
    if (!configured()) {
      throw new ArchiveReadException(Kind.NOT_CONFIGURED, "playback from the archive is not configured"
          + " (set mecam.webui.uploader-url and mecam.webui.archive-token-file)");
    }
    HttpResponse<InputStream> r = send(mediaId, from, toInclusive);
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      // The token may have been rotated: read the file again once.
      close(r);
      token = null;
      r = send(mediaId, from, toInclusive);
    }
    try (InputStream in = r.body()) {
      int status = r.statusCode();
      if (status == 206) {
        Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches() || Long.parseLong(m.group(1)) != from) {
          throw new ArchiveReadException(Kind.PROTOCOL, "the uploader answered a range request for media "
              + mediaId + " without a matching Content-Range");
        }
        long end = Long.parseLong(m.group(2));
        byte[] data = in.readNBytes((int) (end - from + 1));
        if (data.length != end - from + 1) {
          throw new ArchiveReadException(Kind.UNREACHABLE, "the uploader's answer for media " + mediaId
              + " ended early");
        }
        return new Fetched(data, Long.parseLong(m.group(3)));
      }
      if (status == 200) {
        // The whole object despite the Range header: take the part asked for.
        long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        in.skipNBytes(from);
        byte[] data = in.readNBytes((int) Math.min(toInclusive - from + 1, RemoteArchiveChannel.MAX_FETCH));
        if (total < 0) {
          throw new ArchiveReadException(Kind.PROTOCOL, "the uploader answered without a length for media "
              + mediaId);
        }
        return new Fetched(data, total);
      }
      String why = reason(in);
      throw switch (status) {
        case 401, 403 -> new ArchiveReadException(Kind.REFUSED, "the uploader refused the web UI's archive"
            + " token (HTTP " + status + "): mecam.webui.archive-token-file must hold the uploader's archive token");
        case 404 -> new ArchiveReadException(Kind.NOT_FOUND, "media " + mediaId
            + " is not in the archive (not stored yet, or removed by retention)" + (why == null ? "" : ": " + why));
        case 503 -> new ArchiveReadException(Kind.BACKEND_UNAVAILABLE, "the archive storage is unavailable"
            + " right now" + (why == null ? "" : ": " + why) + "; try again later");
        default -> new ArchiveReadException(Kind.PROTOCOL, "the uploader answered HTTP " + status
            + " for media " + mediaId + (why == null ? "" : ": " + why));
      };
    } catch (ArchiveReadException e) {
      throw e;
    } catch (IOException e) {
      throw new ArchiveReadException(Kind.UNREACHABLE, "reading media " + mediaId + " from the uploader failed: "
          + e.getMessage());
    }
  }

  private HttpResponse<InputStream> send(String mediaId, long from, long toInclusive) throws ArchiveReadException {
    String root = base.get().toString().replaceAll("/+$", "");
    URI uri = URI.create(root + "/internal/archive/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("Authorization", "Bearer " + token())
        .header("Range", "bytes=" + from + "-" + toInclusive).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new ArchiveReadException(Kind.UNREACHABLE, "the uploader did not answer within " + timeout.toSeconds()
          + " s; try again later");
    } catch (IOException e) {
      throw new ArchiveReadException(Kind.UNREACHABLE, "the uploader cannot be reached (" + e.getClass()
          .getSimpleName() + "), so archived media cannot be played right now; try again when it is running");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveReadException(Kind.UNREACHABLE, "interrupted while reading from the uploader");
    }
  }

  private String token() throws ArchiveReadException {
    String t = token;
    if (t == null) {
      try {
        t = SecretFiles.read(tokenFile.get(), "archive token");
      } catch (IllegalStateException e) {
        throw new ArchiveReadException(Kind.NOT_CONFIGURED, e.getMessage());
      }
      token = t;
    }
    return t;
  }

  /** The uploader's reason from an error body (plain text, or JSON with "error"), sanitized and cut short. */
  private static String reason(InputStream in) {
    try {
      String text = new String(in.readNBytes(2048), StandardCharsets.UTF_8).strip();
      if (text.startsWith("{")) {
        JsonNode n = JSON.readTree(text);
        text = n.path("error").asText(n.path("message").asText(""));
      }
      text = text.lines().findFirst().orElse("").replaceAll("[^\\p{Print}]", "?").strip();
      return text.isEmpty() ? null : text.length() > 200 ? text.substring(0, 200) : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void close(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
