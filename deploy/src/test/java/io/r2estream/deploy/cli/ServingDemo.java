package io.r2estream.deploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@code r2e} command that keeps serving (like {@code r2e demo} without {@code --exit}), run on a background
 * thread of this JVM: its output can be read while it runs, and {@link #stop()} interrupts it the way the command
 * documents and returns its exit code and whole output. System.out is the command's while it runs, as in
 * {@link CliRun}.
 */
final class ServingDemo {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(); // its methods are synchronized
  private final PrintStream savedOut = System.out;
  private final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
  private final Thread thread;

  private ServingDemo(final String... args) {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    thread = new Thread(() -> exitCode.set(R2eCli.run(args)), "serving-r2e");
  }

  static ServingDemo start(final String... args) {
    final ServingDemo d = new ServingDemo(args);
    d.thread.start();
    return d;
  }

  String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Waits until the output contains {@code marker}, or the command ended, or {@code timeout}.
   *
   * @return the output so far
   * @throws AssertionError when the command ended or the time ran out without the marker
   */
  String awaitOutput(final String marker, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(marker)) {
      if (!thread.isAlive()) {
        throw new AssertionError("the command ended (exit " + exitCode.get() + ") without printing '" + marker
            + "':\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + marker + "' within " + timeout + ":\n" + output());
      }
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
    return output();
  }

  /** Interrupts the command, waits (bounded) for it to stop, restores System.out and echoes what it printed. */
  CliRun stop() throws InterruptedException {
    try {
      thread.interrupt();
      thread.join(Duration.ofMinutes(2).toMillis());
      if (thread.isAlive()) {
        throw new AssertionError("the command did not stop within 2 minutes of an interrupt:\n" + output());
      }
    } finally {
      System.setOut(savedOut);
      savedOut.print(output());
    }
    return new CliRun(exitCode.get(), output(), "");
  }
}
