package org.mecam.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds a TCP port on the loopback interface that nothing is listening on right now. */
public final class FreePort {

  private FreePort() {}

  /**
   * Returns a port that was free a moment ago; another process may still take it before the caller
   * binds it, so callers that start servers should retry with a new port when binding fails.
   */
  public static int find() {
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR the port would sit in TIME_WAIT and the broker could not bind it.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on the loopback interface", e);
    }
  }
}
