package org.mecam.uploader.pull;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.mecam.mediapull.MediaPuller;
import org.mecam.mediapull.PullLimits;
import org.mecam.uploader.config.UploaderConfig;

/** Builds the shared media puller from the uploader's pull settings and the camera registry. */
@ApplicationScoped
public class PullerProducer {
  @Produces
  @ApplicationScoped
  MediaPuller puller(UploaderConfig config, CameraAddresses cameras) {
    UploaderConfig.Pull p = config.pull();
    return new MediaPuller(cameras, new PullLimits(config.fetchTimeout(), p.deadline(), p.minBytesPerSecond(),
        p.rateWindow(), p.maxClipBytes(), p.maxSnapshotBytes(), p.maxResumes()), config.sharedMediaRoot());
  }

  void close(@Disposes MediaPuller puller) {
    puller.close();
  }
}
