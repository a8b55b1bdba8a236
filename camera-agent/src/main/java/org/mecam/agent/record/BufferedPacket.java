package org.mecam.agent.record;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * One encoded video packet held in native memory (a reference-counted copy of the demuxer's packet)
 * with its times on the agent's continuous timeline in microseconds.
 */
public final class BufferedPacket implements AutoCloseable {
  private AVPacket packet;
  private final long ptsUs;
  private final long dtsUs;
  private final long durationUs;
  private final boolean key;
  private final int size;

  public BufferedPacket(AVPacket source, long ptsUs, long dtsUs, long durationUs, boolean key) {
    this.packet = av_packet_clone(source);
    this.ptsUs = ptsUs;
    this.dtsUs = dtsUs;
    this.durationUs = durationUs;
    this.key = key;
    this.size = source.size();
  }

  public AVPacket packet() {
    return packet;
  }

  public long ptsUs() {
    return ptsUs;
  }

  public long dtsUs() {
    return dtsUs;
  }

  public long durationUs() {
    return durationUs;
  }

  public boolean key() {
    return key;
  }

  public int size() {
    return size;
  }

  @Override
  public synchronized void close() {
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
  }
}
