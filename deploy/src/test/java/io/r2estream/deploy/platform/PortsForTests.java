package io.r2estream.deploy.platform;

import java.io.IOException;
import java.net.ServerSocket;

/** Free ports, so tests never collide with a platform a developer runs on the default ports. */
public final class PortsForTests {

  private PortsForTests() {
  }

  public static int free() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
