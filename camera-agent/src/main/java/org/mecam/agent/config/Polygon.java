package org.mecam.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A polygon in fractions of the frame (0..1 from the top-left corner), used for motion zones and masks;
 * written as {@code x,y x,y x,y ...} with at least three corners.
 */
public record Polygon(List<double[]> points) {

  public Polygon {
    points = List.copyOf(points);
  }

  public static Polygon parse(String text) {
    String[] corners = text.trim().split("\\s+");
    if (corners.length < 3) {
      throw new IllegalArgumentException("polygon '" + text + "' needs at least three corners 'x,y x,y x,y'");
    }
    List<double[]> pts = new ArrayList<>();
    for (String c : corners) {
      String[] xy = c.split(",");
      if (xy.length != 2) {
        throw new IllegalArgumentException("polygon corner '" + c + "' must be 'x,y'");
      }
      double x;
      double y;
      try {
        x = Double.parseDouble(xy[0]);
        y = Double.parseDouble(xy[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("polygon corner '" + c + "' must be two numbers 'x,y'");
      }
      if (x < 0 || x > 1 || y < 0 || y > 1) {
        throw new IllegalArgumentException("polygon corner '" + c + "' must lie in 0..1 (fractions of the frame)");
      }
      pts.add(new double[] {x, y});
    }
    return new Polygon(pts);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (double[] p : points) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(p[0]).append(',').append(p[1]);
    }
    return b.toString();
  }
}
