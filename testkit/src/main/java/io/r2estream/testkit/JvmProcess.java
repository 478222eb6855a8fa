package io.r2estream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running one of our main classes, as a separate process of a deployment would: its own heap, its own
 * clients, and a death that no code in it sees coming ({@link #kill}: SIGKILL). Its output goes to a log file, read
 * to tell when it is ready and quoted whole when it dies early.
 */
public final class JvmProcess implements AutoCloseable {

  private static final String AVRO_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(final String name, final Process process, final Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with {@code args} on the class path of this JVM (Surefire's test class path when run
   * from a test, whose booter jar only names it in a manifest).
   *
   * @param heap {@code -Xmx} value, e.g. {@code 512m}
   */
  public static JvmProcess start(final String name, final Path log, final String heap, final String mainClass,
      final List<String> args) {
    final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-XX:+UseSerialGC",
        // The same trusted Avro packages as this JVM: our generated classes hold java.* and Avro util types.
        "-D" + AVRO_PACKAGES + "=" + System.getProperty(AVRO_PACKAGES,
            "java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream"),
        "-cp", classPath, mainClass));
    cmd.addAll(args);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      return new JvmProcess(name, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
          .start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the JVM of " + name, e);
    }
  }

  /** Waits until the process has printed {@code line}; fails with its log if it exits first or time runs out. */
  public JvmProcess awaitOutput(final String line, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(line)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '" + line
            + "':\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not print '" + line + "' within " + timeout + ":\n" + output());
      }
      Thread.sleep(100); // a log file has no event to wait on
    }
    return this;
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no close, no last commit; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM (the shutdown hooks run), then SIGKILL if it has not exited within {@code grace}. */
  public void stop(final Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(30));
    }
  }
}
