package org.mecam.uploader;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.mecam.testkit.drive.DriveFake;

/** The uploader set up for the Drive backend against the test kit's Drive fake, already linked. */
public class DriveTestResource extends UploaderTestResource {
  public static final Path DRIVE_ROOT = Path.of("target", "uploader-drive").toAbsolutePath();
  private DriveFake fake;

  /** Marks a test field that receives the running {@link DriveFake}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectDrive {}

  @Override
  protected Path root() {
    return DRIVE_ROOT;
  }

  @Override
  protected Map<String, String> extra(Path root) throws IOException {
    fake = DriveFake.start(root.resolve("drive-fake"));
    fake.acceptRefreshToken("1//test-refresh");
    Path secrets = root.resolve("secrets");
    Files.createDirectories(secrets);
    Path token = secrets.resolve("drive-token");
    Path secret = secrets.resolve("client-secret");
    for (Path p : new Path[] {token, secret}) {
      Files.writeString(p, p == token ? "1//test-refresh" : "test-secret");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    return Map.of(
        "mecam.uploader.backend", "drive",
        "mecam.uploader.drive.client-id", "test-client.apps.googleusercontent.com",
        "mecam.uploader.drive.client-secret-file", secret.toString(),
        "mecam.uploader.drive.token-file", token.toString(),
        "mecam.uploader.drive.root-url", fake.rootUrl(),
        "mecam.uploader.drive.token-uri", fake.tokenUrl(),
        "mecam.uploader.drive.auth-uri", fake.authUrl(),
        "mecam.uploader.drive.chunk-kib", "256",
        "mecam.uploader.drive.retry-base-millis", "20",
        "mecam.uploader.drive.quota-retry", "1s");
  }

  @Override
  protected void injectMore(TestInjector injector) {
    injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectDrive.class, DriveFake.class));
  }

  @Override
  protected void stopMore() {
    if (fake != null) {
      fake.close();
    }
  }
}
