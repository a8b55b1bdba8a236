package org.mecam.mediapull;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.agent.media.MediaStore;
import org.mecam.events.MediaKind;

/**
 * Issue 13: the real agent announces a path relative to its media directory; with that directory
 * shared as {@code <shared root>/<camera id>} the file is copied without HTTP (the camera's address
 * is a closed port, so only the shared copy can succeed).
 */
class AgentSharedRootTest {
  @Test
  void pullsTheRealAgentsRelativePathFromTheSharedRootWithoutHttp(@TempDir Path shared) throws Exception {
    MediaStore agent = new MediaStore(shared.resolve("front-door"));
    byte[] clip = new byte[700_000];
    new Random(7).nextBytes(clip);
    String id = "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3";
    MediaStore.Finished f = agent.write(id, "mp4", Instant.parse("2026-12-03T17:00:00Z"), clip);
    assertThat(Path.of(f.relativePath())).isRelative();

    CameraEndpoint closed = new CameraEndpoint("front-door", URI.create("http://127.0.0.1:9"), "t");
    try (MediaPuller puller = new MediaPuller(c -> Optional.of(closed), PullLimits.defaults(), Optional.of(shared))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PullResult r = puller.pull(new MediaRequest("front-door", id, MediaKind.CLIP, f.relativePath(), f.size(),
          f.sha256(), "video/mp4"), out);
      assertThat(r.how()).isEqualTo("shared");
      assertThat(out.toByteArray()).isEqualTo(clip);
    }
  }
}
