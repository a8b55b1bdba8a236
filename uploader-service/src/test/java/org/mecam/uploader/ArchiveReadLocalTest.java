package org.mecam.uploader;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;
import org.mecam.uploader.store.UploaderStore;

/** The archive read endpoint over the local folder backend. */
@QuarkusTest
@QuarkusTestResource(BrokerTestResource.class)
@QuarkusTestResource(value = UploaderTestResource.class, restrictToAnnotatedClass = true)
class ArchiveReadLocalTest extends ArchiveReadContract {
  @InjectBroker
  MqttBroker broker;

  @Inject
  UploaderStore store;

  @Override
  MqttBroker broker() {
    return broker;
  }

  @Override
  Path cameraDir() {
    return UploaderTestResource.ROOT.resolve("camera");
  }

  @Override
  byte[] storedBytes(String mediaId) throws Exception {
    String remote = store.find(mediaId).orElseThrow().remoteId();
    return Files.readAllBytes(UploaderTestResource.ROOT.resolve("archive").resolve(remote));
  }
}
