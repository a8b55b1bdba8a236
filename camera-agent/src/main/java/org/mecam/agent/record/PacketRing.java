package org.mecam.agent.record;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The pre-roll: the last few seconds of encoded packets (not decoded frames, which would cost a Pi
 * tens of megabytes per second), always starting at a keyframe so a clip can begin with a picture.
 */
public final class PacketRing implements AutoCloseable {
  private final ArrayDeque<BufferedPacket> packets = new ArrayDeque<>();
  private final long keepUs;
  private long bytes;

  /** Keeps at least {@code keepUs} of packets before the newest one (more, back to a keyframe). */
  public PacketRing(long keepUs) {
    this.keepUs = keepUs;
  }

  public void add(BufferedPacket p) {
    packets.addLast(p);
    bytes += p.size();
    trim();
  }

  /**
   * Drops packets older than needed: the oldest keyframe kept is the newest one at or before
   * (newest time − keep), so pre-roll of at least {@code keep} can always start on a keyframe.
   */
  private void trim() {
    long horizon = packets.peekLast().dtsUs() - keepUs;
    BufferedPacket startKey = null;
    for (BufferedPacket p : packets) {
      if (p.dtsUs() > horizon) {
        break;
      }
      if (p.key()) {
        startKey = p;
      }
    }
    if (startKey == null) {
      return;
    }
    while (packets.peekFirst() != startKey) {
      BufferedPacket old = packets.pollFirst();
      bytes -= old.size();
      old.close();
    }
  }

  /**
   * The packets a clip starting at {@code fromUs} needs: from the newest keyframe at or before that
   * time (or the oldest keyframe held, when the ring does not reach back so far) to the newest packet.
   * The ring keeps owning them.
   */
  public List<BufferedPacket> from(long fromUs) {
    BufferedPacket start = null;
    for (BufferedPacket p : packets) {
      if (p.key() && (start == null || p.dtsUs() <= fromUs)) {
        start = p;
      }
      if (p.dtsUs() > fromUs && start != null) {
        break;
      }
    }
    List<BufferedPacket> out = new ArrayList<>();
    if (start == null) {
      return out;
    }
    boolean on = false;
    for (BufferedPacket p : packets) {
      on |= p == start;
      if (on) {
        out.add(p);
      }
    }
    return out;
  }

  /** Time of the oldest packet held, or -1 when empty. */
  public long oldestUs() {
    return packets.isEmpty() ? -1 : packets.peekFirst().dtsUs();
  }

  public int size() {
    return packets.size();
  }

  public long bytes() {
    return bytes;
  }

  @Override
  public void close() {
    Iterator<BufferedPacket> it = packets.iterator();
    while (it.hasNext()) {
      it.next().close();
      it.remove();
    }
    bytes = 0;
  }
}
