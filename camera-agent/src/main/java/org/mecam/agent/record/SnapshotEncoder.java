package org.mecam.agent.record;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.IOException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Encodes a full-size BGR frame as the event's JPEG snapshot. */
public final class SnapshotEncoder {
  private SnapshotEncoder() {}

  public static byte[] jpeg(Mat bgr, int quality) throws IOException {
    try (BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
      if (!imencode(".jpg", bgr, buf, params)) {
        throw new IOException("JPEG encoding failed");
      }
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }
}
