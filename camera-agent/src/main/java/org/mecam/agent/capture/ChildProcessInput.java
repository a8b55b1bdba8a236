package org.mecam.agent.capture;

import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A child process (e.g. {@code rpicam-vid ... -o -}) whose standard output FFmpeg reads through a custom
 * AVIO context: the bytes go straight into the demuxer, no shell, FIFO or temporary file. Its standard
 * error is kept (last lines) for the error message when it exits; {@link #close()} ends it (SIGTERM, then
 * SIGKILL after 3 s).
 */
final class ChildProcessInput implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChildProcessInput.class.getName());
  private static final int BUFFER = 64 * 1024;
  private static final Map<Long, ChildProcessInput> OPEN = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong(1);
  /** One callback for all inputs: JavaCPP allocates a limited number of native thunks per class. */
  private static final ReadCallback READ = new ReadCallback().retainReference();

  private final Process process;
  private final InputStream stdout;
  private final long key;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final byte[] chunk = new byte[BUFFER];
  private final String shownAs;
  private AVIOContext avio;

  private ChildProcessInput(Process process, String shownAs) {
    this.process = process;
    this.stdout = process.getInputStream();
    this.shownAs = shownAs;
    this.key = NEXT.getAndIncrement();
  }

  /** Starts the command; the returned input's {@link #avio()} is what FFmpeg's demuxer reads. */
  static ChildProcessInput start(List<String> command, String shownAs) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start " + shownAs + ": " + e.getMessage(), e);
    }
    ChildProcessInput in = new ChildProcessInput(p, shownAs);
    Thread err = new Thread(in::drainStderr, "exec-stderr-" + p.pid());
    err.setDaemon(true);
    err.start();
    BytePointer buffer = new BytePointer(av_malloc(BUFFER));
    in.avio = avio_alloc_context(buffer, BUFFER, 0, new Pointer() { { address = in.key; } }, READ, null, null);
    if (in.avio == null) {
      av_free(buffer);
      in.close();
      throw new IOException("cannot allocate FFmpeg I/O context for " + shownAs);
    }
    OPEN.put(in.key, in);
    LOG.info("started " + shownAs + " (pid " + p.pid() + ")");
    return in;
  }

  AVIOContext avio() {
    return avio;
  }

  /** Why the child stopped delivering: its exit code and the last lines of its standard error. */
  String exitDescription() {
    try {
      // Called when its output ended: give it a moment to exit so the code can be reported.
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String tail;
    synchronized (stderrTail) {
      tail = String.join(" | ", stderrTail);
    }
    String status = process.isAlive() ? "still running" : "exited with code " + process.exitValue();
    return shownAs + " " + status + (tail.isEmpty() ? "" : ": " + tail);
  }

  private int read(BytePointer out, int size) {
    try {
      int n = stdout.read(chunk, 0, Math.min(size, chunk.length));
      if (n < 0) {
        return AVERROR_EOF;
      }
      out.position(0).put(chunk, 0, n);
      return n;
    } catch (IOException e) {
      return AVERROR_EOF;
    }
  }

  private void drainStderr() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderrTail) {
          stderrTail.addLast(line.length() > 200 ? line.substring(0, 200) : line);
          while (stderrTail.size() > 5) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // The process is gone.
    }
  }

  @Override
  public void close() {
    OPEN.remove(key);
    process.destroy();
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(3, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (avio != null) {
      // FFmpeg may have replaced the buffer; free whatever the context holds now.
      av_free(avio.buffer());
      avio.buffer(null);
      avio_context_free(avio);
      avio = null;
    }
  }

  /** Routes FFmpeg's read calls to the input registered under the opaque key. */
  private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
    @Override
    public int call(Pointer opaque, BytePointer buf, int size) {
      ChildProcessInput in = OPEN.get(opaque.address());
      return in == null ? AVERROR_EOF : in.read(buf, size);
    }
  }
}
