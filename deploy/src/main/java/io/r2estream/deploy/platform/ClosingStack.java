package io.r2estream.deploy.platform;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Components in start order, closed in reverse; a component that fails to close is logged and the rest still close. */
final class ClosingStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClosingStack.class);
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  <T extends AutoCloseable> T push(final T component) {
    running.push(component);
    return component;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      final AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
