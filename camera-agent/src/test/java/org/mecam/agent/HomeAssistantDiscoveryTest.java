package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.mecam.agent.mqtt.HomeAssistantDiscovery;
import org.mecam.agent.mqtt.RawArmCommands;
import org.mecam.agent.record.SnapshotEncoder;
import org.mecam.events.ArmCommand;
import org.mecam.events.PayloadCodec;

/** The Home Assistant snapshot is downscaled to fit the broker; raw ON/OFF become valid ArmCommands. */
class HomeAssistantDiscoveryTest {

  @Test
  void fullHdSnapshotIsPublishedAtMost640WideAndSmall() throws Exception {
    byte[] big;
    try (Mat m = new Mat(1080, 1920, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(40, 120, 200, 0))) {
      big = SnapshotEncoder.jpeg(m, 95);
    }
    assertThat(widthOf(big)).isEqualTo(1920);
    byte[] small = HomeAssistantDiscovery.downscale(big);
    assertThat(widthOf(small)).isLessThanOrEqualTo(HomeAssistantDiscovery.MAX_IMAGE_WIDTH).isEqualTo(480);
    assertThat(small.length).isLessThanOrEqualTo(HomeAssistantDiscovery.MAX_IMAGE_BYTES);
  }

  @Test
  void rawOnOffBecomeArmCommandsAndAnythingElseIsLeftToValidation() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-03T17:00:00Z"), ZoneOffset.UTC);
    ArmCommand on = RawArmCommands.fromRaw("ON".getBytes(StandardCharsets.UTF_8), "cam-a", clock);
    ArmCommand off = RawArmCommands.fromRaw("OFF".getBytes(StandardCharsets.UTF_8), "cam-a", clock);
    assertThat(on.armed()).isTrue();
    assertThat(off.armed()).isFalse();
    // What the agent's validating subscriber then decodes: a valid contract payload.
    assertThat(PayloadCodec.decode("mecam/v1/cameras/cam-a/set/armed", PayloadCodec.encode(on), ArmCommand.class)
        .camera()).isEqualTo("cam-a");
    assertThat(RawArmCommands.fromRaw("on".getBytes(StandardCharsets.UTF_8), "cam-a", clock)).isNull();
    assertThat(RawArmCommands.fromRaw("{\"armed\":true}".getBytes(StandardCharsets.UTF_8), "cam-a", clock)).isNull();
  }

  private static int widthOf(byte[] jpeg) {
    return HomeAssistantDiscovery.jpegWidth(jpeg);
  }
}
