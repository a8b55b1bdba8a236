package org.mecam.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mecam.events.MediaKind;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.drive.DriveFake;
import org.mecam.testkit.drive.FakeFile;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;

/**
 * The archive read endpoint over Google Drive (the test kit's fake, through the real client): ranges
 * go to Drive as {@code Range} headers on files.get {@code alt=media}, and an unlinked Drive is a 503.
 */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = DriveTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveReadDriveTest extends ArchiveReadContract {
  @InjectBroker
  MqttBroker broker;

  @DriveTestResource.InjectDrive
  DriveFake drive;

  @Override
  MqttBroker broker() {
    return broker;
  }

  @Override
  Path cameraDir() {
    return DriveTestResource.DRIVE_ROOT.resolve("camera");
  }

  FakeFile fileOf(String mediaId) {
    List<FakeFile> f = drive.mediaFiles().stream()
        .filter(x -> mediaId.equals(x.appProperties().get("mecamMediaId"))).toList();
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  @Override
  byte[] storedBytes(String mediaId) throws Exception {
    return Files.readAllBytes(fileOf(mediaId).content());
  }

  @Test
  @Order(1)
  void asksDriveForTheRangeInsteadOfDownloadingTheWholeFile() throws Exception {
    String id = stored("ar-drive-range.mp4", 900_000, MediaKind.CLIP);
    int before = drive.mediaRanges().size();
    Response r = authorized().header("Range", "bytes=4096-8191").get(PATH, id);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.asByteArray()).hasSize(4096);
    assertThat(drive.mediaRanges().subList(before, drive.mediaRanges().size())).containsExactly("bytes=4096-8191");
  }

  @Test
  @Order(2)
  void answers404WhenTheFileWasRemovedFromDrive() throws Exception {
    String id = stored("ar-drive-gone.jpg", 3_000, MediaKind.SNAPSHOT);
    FakeFile f = fileOf(id);
    // Retention (or the owner) removed it on Drive: the uploader's record alone is not enough.
    assertThat(drive.delete(f.id())).isTrue();
    assertThat(authorized().get(PATH, id).statusCode()).isEqualTo(404);
    assertThat(authorized().head(PATH, id).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it unlinks Drive for good
  void answers503WithAReasonWhileDriveNeedsRelinking() throws Exception {
    String id = stored("ar-drive-503.jpg", 4_000, MediaKind.SNAPSHOT);
    drive.revokeAll();
    Response r = authorized().get(PATH, id);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.asString()).contains("re-linked");
    assertThat(authorized().head(PATH, id).statusCode()).isEqualTo(503);
  }
}
