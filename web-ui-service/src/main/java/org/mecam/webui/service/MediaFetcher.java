package org.mecam.webui.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSession;
import org.mecam.cameras.CameraRegistry;
import org.mecam.events.MediaKind;
import org.mecam.mediapull.CameraEndpoint;
import org.mecam.mediapull.MediaPuller;
import org.mecam.mediapull.MediaRequest;
import org.mecam.mediapull.PullLimits;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.domain.MediaView;

/**
 * Gets snapshots and clips from the camera agents through libs/media-pull: only from the camera's
 * registered media address (the camera registry, {@code mecam.webui.cameras-file}, default
 * {@code <data-dir>/cameras.json}) with its token, the path checked against the camera's namespace,
 * the type against the allow-list of its kind. Snapshots are copied into {@code <data-dir>/snapshots/}
 * (size and SHA-256 checked as they arrive) so they stay viewable after the agent frees its disk;
 * clips are streamed through with Range support.
 */
@ApplicationScoped
public class MediaFetcher {
  private final Path snapshots;
  private final MediaPuller puller;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "snapshot-fetcher");
    t.setDaemon(true);
    return t;
  });

  public MediaFetcher(ServiceConfig service, WebUiConfig config, CameraRegistry registry) {
    this.snapshots = service.dataDir().resolve("snapshots");
    // The web UI's one registry (mecam.webui.cameras-file), the same the cameras page writes.
    Duration t = config.mediaFetchTimeout();
    PullLimits limits = new PullLimits(t, t.multipliedBy(4), 16 * 1024, t, PullLimits.defaults().maxClipBytes(),
        PullLimits.defaults().maxSnapshotBytes(), 2);
    this.puller = new MediaPuller(id -> {
      try {
        return registry.find(id).map(c -> new CameraEndpoint(c.id(), c.mediaUrl(), c.mediaToken()));
      } catch (RuntimeException e) {
        throw new IOException("camera registry unreadable: " + e.getMessage(), e);
      }
    }, limits, Optional.empty());
  }

  /** Copies a new snapshot in the background, so it survives the agent deleting it. */
  public void prefetch(MediaView media) {
    if (!"snapshot".equals(media.kind()) || media.url() == null) {
      return;
    }
    background.execute(() -> snapshot(media));
  }

  /** The cached snapshot file, fetching it first when needed; empty when it cannot be had. */
  public Optional<Path> snapshot(MediaView media) {
    Path file = snapshots.resolve(media.mediaId() + ".jpg");
    if (Files.exists(file)) {
      return Optional.of(file);
    }
    Optional<MediaRequest> request = request(media);
    if (request.isEmpty()) {
      return Optional.empty();
    }
    Path tmp = null;
    try {
      Files.createDirectories(snapshots);
      tmp = Files.createTempFile(snapshots, ".fetch", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        puller.pull(request.get(), out);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(file);
    } catch (IOException e) {
      Log.infof("snapshot %s of camera %s not available: %s", media.mediaId(), media.camera(), e.getMessage());
      return Optional.empty();
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          Log.debugf("cannot remove %s: %s", tmp, e.getMessage());
        }
      }
    }
  }

  /** Opens the clip on the agent, passing a Range header through; the caller closes the body. */
  public HttpResponse<InputStream> clip(MediaView media, String range) throws IOException, InterruptedException {
    MediaRequest r = request(media).orElseThrow(() -> new IOException("clip " + media.mediaId()
        + " has no fetchable path"));
    URI uri = puller.check(r);
    MediaPuller.Opened o = puller.open(r, range);
    return new Opened(uri, o);
  }

  /**
   * The request for {@code media}: the path is the announced URL's path below {@code /media/} (the
   * host, port and scheme of that URL are never used), checked by the puller against the camera's
   * namespace.
   */
  private static Optional<MediaRequest> request(MediaView media) {
    if (media.url() == null || media.size() == null || media.kind() == null) {
      return Optional.empty();
    }
    String rawPath;
    try {
      rawPath = URI.create(media.url()).getRawPath();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (rawPath == null || !rawPath.startsWith("/media/")) {
      return Optional.empty();
    }
    MediaKind kind = "clip".equals(media.kind()) ? MediaKind.CLIP : MediaKind.SNAPSHOT;
    return Optional.of(new MediaRequest(media.camera(), media.mediaId(), kind, rawPath.substring(7), media.size(),
        media.sha256(), media.contentType()));
  }

  /** A pass-through response from the agent in the shape the resource reads. */
  private record Opened(URI uri, MediaPuller.Opened o) implements HttpResponse<InputStream> {
    @Override
    public int statusCode() {
      return o.status();
    }

    @Override
    public HttpRequest request() {
      return HttpRequest.newBuilder(uri).build();
    }

    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      Map<String, List<String>> h = new HashMap<>();
      if (o.contentRange() != null) {
        h.put("Content-Range", List.of(o.contentRange()));
      }
      if (o.contentLength() >= 0) {
        h.put("Content-Length", List.of(Long.toString(o.contentLength())));
      }
      return HttpHeaders.of(h, (k, v) -> true);
    }

    @Override
    public InputStream body() {
      return o.body();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return uri;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }

  void stop(@Observes ShutdownEvent event) {
    background.shutdownNow();
    puller.close();
  }
}
