package org.mecam.agent.detect;

import java.util.List;
import org.mecam.agent.config.Polygon;

/**
 * Rasterises motion zones and masks into a per-pixel "watched" map at the analysis resolution:
 * inside a zone (everywhere when there are none) and outside every mask.
 */
public final class ZoneMask {
  private ZoneMask() {}

  /** 255 where motion counts, 0 where it does not; null when every pixel counts. */
  public static byte[] rasterise(int width, int height, List<Polygon> zones, List<Polygon> masks) {
    if (zones.isEmpty() && masks.isEmpty()) {
      return null;
    }
    byte[] out = new byte[width * height];
    for (int y = 0; y < height; y++) {
      double fy = (y + 0.5) / height;
      for (int x = 0; x < width; x++) {
        double fx = (x + 0.5) / width;
        boolean watched = zones.isEmpty();
        for (Polygon z : zones) {
          if (inside(z, fx, fy)) {
            watched = true;
            break;
          }
        }
        if (watched) {
          for (Polygon m : masks) {
            if (inside(m, fx, fy)) {
              watched = false;
              break;
            }
          }
        }
        out[y * width + x] = watched ? (byte) 255 : 0;
      }
    }
    return out;
  }

  /** Even-odd rule point-in-polygon test. */
  static boolean inside(Polygon p, double x, double y) {
    List<double[]> pts = p.points();
    boolean in = false;
    for (int i = 0, j = pts.size() - 1; i < pts.size(); j = i++) {
      double[] a = pts.get(i);
      double[] b = pts.get(j);
      if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) {
        in = !in;
      }
    }
    return in;
  }
}
