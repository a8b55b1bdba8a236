package org.mecam.webui.service;

import org.mecam.crypto.ArchiveNames;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import org.mecam.webui.config.WebUiConfig;
import org.mecam.webui.domain.MediaView;
import org.mecam.webui.security.SecretFiles;

/**
 * Finds a media file in the uploader's local-folder archive: {@code <root>/YYYY/MM/DD/<name>.mecam},
 * the name being the first 16 bytes (hex) of HMAC-SHA256(names key, "media:" + media id) and the day
 * the media's start (UTC); the neighbouring days are tried too, in case clocks disagreed.
 */
@ApplicationScoped
public class ArchiveLocator {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private final Optional<Path> root;
  private final byte[] namesKey;

  public ArchiveLocator(WebUiConfig config) {
    this.root = config.archiveDir();
    this.namesKey = config.archiveNamesKeyFile()
        .map(f -> HexFormat.of().parseHex(SecretFiles.read(f, "archive names key")))
        .orElse(null);
  }

  public boolean configured() {
    return root.isPresent() && namesKey != null;
  }

  public Optional<Path> find(MediaView media) {
    if (!configured() || media.start() == null) {
      return Optional.empty();
    }
    String name = fileName(media.mediaId());
    for (long days : new long[] {0, -1, 1}) {
      Instant day = media.start().plus(Duration.ofDays(days));
      Path p = root.get().resolve(DAY.format(day)).resolve(name);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  String fileName(String mediaId) {
    return ArchiveNames.fileName(namesKey, mediaId);
  }
}
