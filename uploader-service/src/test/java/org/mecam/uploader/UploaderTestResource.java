package org.mecam.uploader;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.mecam.crypto.OwnerKeyPair;

/**
 * Sets the uploader up for tests: a fresh data folder, an owner key pair (public key in the recipients
 * file, private key kept for the test to decrypt with), a camera tokens file (0600) and a fake camera.
 */
public class UploaderTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String TOKEN = TestMedia.CAMERA_TOKEN;
  /** The Bearer token of the archive read endpoint. */
  public static final String ARCHIVE_TOKEN = "archive-read-test-token-0123456789";
  public static final Path ROOT = Path.of("target", "uploader-it").toAbsolutePath();
  private FakeCamera camera;

  /** The folder this resource sets up; subclasses use their own. */
  protected Path root() {
    return ROOT;
  }

  /** Whether the archive read endpoint gets a token file (enabled). */
  protected boolean archiveEndpoint() {
    return true;
  }

  /** Configuration added by subclasses. */
  protected Map<String, String> extra(Path root) throws IOException {
    return Map.of();
  }

  @Override
  public Map<String, String> start() {
    Path ROOT = root();
    try {
      deleteTree(ROOT);
      Files.createDirectories(ROOT);
      OwnerKeyPair owner = OwnerKeyPair.generate();
      Files.writeString(ROOT.resolve("recipients"), "# owner\n" + owner.recipient().toText() + "\n");
      Files.writeString(ROOT.resolve("owner.key"), HexFormat.of().formatHex(owner.privateKeyBytes()));
      Files.createDirectories(ROOT.resolve("shared"));
      camera = new FakeCamera(ROOT.resolve("camera"), TOKEN);
      Path cameras = TestMedia.registry(ROOT.resolve("cameras.json"), camera.base(), TOKEN, "front-door", "garden");
      // "lobby" is registered with a token its camera does not accept.
      TestMedia.registry(cameras, camera.base(), "wrong" + TOKEN.substring(5), "lobby");
      Map<String, String> config = new java.util.HashMap<>(Map.of(
          "mecam.service.data-dir", ROOT.resolve("data").toString(),
          "mecam.uploader.recipients-file", ROOT.resolve("recipients").toString(),
          "mecam.uploader.cameras-file", cameras.toString(),
          "mecam.uploader.shared-media-root", ROOT.resolve("shared").toString(),
          "mecam.uploader.local.folder", ROOT.resolve("archive").toString(),
          "mecam-test.camera-base", camera.url("")));
      if (archiveEndpoint()) {
        Path archiveToken = ROOT.resolve("archive-read.token");
        Files.writeString(archiveToken, ARCHIVE_TOKEN + "\n");
        Files.setPosixFilePermissions(archiveToken, PosixFilePermissions.fromString("rw-------"));
        config.put("mecam.uploader.archive-token-file", archiveToken.toString());
      }
      Path apiToken = ROOT.resolve("api.token");
      Files.writeString(apiToken, API_TOKEN + "\n");
      Files.setPosixFilePermissions(apiToken, PosixFilePermissions.fromString("rw-------"));
      config.put("mecam.api.token-file", apiToken.toString());
      config.putAll(extra(ROOT));
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The service token of the uploader's /api/... (issue 12 #8). */
  public static final String API_TOKEN = "service-api-token-for-tests-0123456789";

  /** A request that presents the service token (every /api/... call). */
  public static io.restassured.specification.RequestSpecification api() {
    return io.restassured.RestAssured.given().header("Authorization", "Bearer " + API_TOKEN);
  }

  /** The owner's key pair, to decrypt what the uploader archived. */
  public static OwnerKeyPair owner() throws IOException {
    return owner(ROOT);
  }

  public static OwnerKeyPair owner(Path root) throws IOException {
    return OwnerKeyPair.fromPrivateKey(HexFormat.of().parseHex(Files.readString(root.resolve("owner.key"))));
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  @Override
  public void inject(TestInjector injector) {
    injectMore(injector);
  }

  protected void injectMore(TestInjector injector) {}

  @Override
  public void stop() {
    stopMore();
    if (camera != null) {
      camera.close();
    }
  }

  protected void stopMore() {}
}
