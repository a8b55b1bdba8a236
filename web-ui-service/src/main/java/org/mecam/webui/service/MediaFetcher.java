package org.mecam.webui.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.domain.MediaView;

/**
 * Gets snapshots and clips from the camera agents' media servers (with the camera's bearer token):
 * snapshots are copied into {@code <data-dir>/snapshots/} (checked against their SHA-256) so they stay
 * viewable after the agent frees its disk; clips are streamed through with Range support.
 */
@ApplicationScoped
public class MediaFetcher {
  private static final long MAX_SNAPSHOT_BYTES = 10L * 1024 * 1024;

  private final Path snapshots;
  private final Map<String, String> tokens;
  private final Duration timeout;
  private final HttpClient http;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "snapshot-fetcher");
    t.setDaemon(true);
    return t;
  });

  public MediaFetcher(ServiceConfig service, WebUiConfig config) {
    this.snapshots = service.dataDir().resolve("snapshots");
    this.tokens = config.cameraTokensFile().map(MediaFetcher::readTokens).orElse(Map.of());
    this.timeout = config.mediaFetchTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  static Map<String, String> readTokens(Path file) {
    Map<String, String> out = new HashMap<>();
    for (String line : SecretFiles.read(file, "camera tokens").split("\\R")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq > 0) {
        out.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
      }
    }
    return Map.copyOf(out);
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
    if (media.url() == null) {
      return Optional.empty();
    }
    try {
      HttpResponse<InputStream> r = http.send(request(media, null), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (r.statusCode() != 200) {
          Log.infof("snapshot %s of camera %s not available from the agent (HTTP %d)", media.mediaId(),
              media.camera(), r.statusCode());
          return Optional.empty();
        }
        byte[] bytes = in.readNBytes((int) MAX_SNAPSHOT_BYTES + 1);
        if (bytes.length > MAX_SNAPSHOT_BYTES) {
          return Optional.empty();
        }
        if (media.sha256() != null && !media.sha256().equals(sha256(bytes))) {
          Log.warnf("snapshot %s of camera %s does not match its SHA-256; not kept", media.mediaId(),
              media.camera());
          return Optional.empty();
        }
        Files.createDirectories(snapshots);
        Path tmp = Files.createTempFile(snapshots, ".fetch", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(file);
      }
    } catch (IOException | IllegalArgumentException e) {
      Log.infof("snapshot %s of camera %s not available: %s", media.mediaId(), media.camera(), e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Opens the clip on the agent, passing a Range header through; the caller closes the body. */
  public HttpResponse<InputStream> clip(MediaView media, String range) throws IOException, InterruptedException {
    return http.send(request(media, range), HttpResponse.BodyHandlers.ofInputStream());
  }

  private HttpRequest request(MediaView media, String range) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(media.url())).timeout(timeout).GET();
    String token = tokens.get(media.camera());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (range != null && range.matches("bytes=\\d*-\\d*")) {
      b.header("Range", range);
    }
    return b.build();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    background.shutdownNow();
  }
}
