package io.r2estream.embedded;

import java.io.IOException;
import java.net.ServerSocket;

/** Free local ports, for components configured with port 0 ("any"). */
public final class Ports {

  private Ports() {
  }

  /** A port that was free a moment ago (the usual small race is acceptable for local services). */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port: " + e.getMessage(), e);
    }
  }

  /** The port itself, or a free one when it is 0. */
  public static int orFree(final int port) {
    return port == 0 ? free() : port;
  }
}
