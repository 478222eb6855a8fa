package io.r2estream.runtime.images;

import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the local Python base image exists, the image every environment image starts FROM: a minimal Debian
 * bookworm with Python 3, pytest, pip/venv/setuptools/wheel, git (with a system-wide identity and every directory
 * marked safe) and GNU patch. Built once; never rebuilt while the image exists.
 *
 * <p>No image registry is assumed, so the image is made with {@code debootstrap --variant=minbase} from the
 * default Debian mirror (needs root and the {@code debootstrap} package; about a minute and 300 MB) into a temporary
 * directory, given its git identity through {@code chroot}, and streamed as a tar ({@code tar -C dir -c .}) into
 * {@link ContainerRuntime#importImage}. The temporary directory is deleted afterwards. On a machine that can
 * reach a registry, an official {@code python:3.x-slim} image with git and patch installed would serve as well;
 * only the debootstrap route is implemented. {@code deploy/docker/build-python-base.sh} is the same recipe with
 * the docker CLI, run by CI before the tests: keep its tag and package list in step with this class.
 */
public final class PythonBaseImage {
  /** The base image's tag. */
  public static final String DEFAULT_TAG = "r2e-base/python:bookworm";
  /** What debootstrap installs on top of minbase. */
  public static final List<String> PACKAGES = List.of("python3", "python3-pytest", "python3-pip", "python3-venv",
      "python3-setuptools", "python3-wheel", "git", "patch", "ca-certificates");
  private static final String SUITE = "bookworm";
  private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final Logger LOG = LoggerFactory.getLogger(PythonBaseImage.class);
  /** One build at a time per JVM: concurrent callers wait and then find the image. */
  private static final Object BUILD_LOCK = new Object();

  private final ContainerRuntime runtime;
  private final String tag;

  public PythonBaseImage(final ContainerRuntime runtime) {
    this(runtime, DEFAULT_TAG);
  }

  public PythonBaseImage(final ContainerRuntime runtime, final String tag) {
    this.runtime = runtime;
    this.tag = tag;
  }

  /** The image's tag, after building it if it is missing; fails with {@link RuntimeFailure} (IMAGE_BUILD). */
  public String ensure() {
    synchronized (BUILD_LOCK) {
      if (!runtime.imageExists(tag)) {
        build();
      }
    }
    return tag;
  }

  private void build() {
    final long started = System.nanoTime();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("r2e-base-rootfs");
      LOG.info("building base image {} with debootstrap {} into {}", tag, SUITE, dir);
      run(DEBOOTSTRAP_TIMEOUT, "debootstrap", "--variant=minbase", "--include=" + String.join(",", PACKAGES), SUITE,
          dir.toString());
      // Patches are applied and diffs taken with git inside containers; commits need an identity, and
      // repositories copied in with other owners must not be refused.
      run(COMMAND_TIMEOUT, "chroot", dir.toString(), "git", "config", "--system", "user.email", "r2e@r2estream.local");
      run(COMMAND_TIMEOUT, "chroot", dir.toString(), "git", "config", "--system", "user.name", "r2e-stream");
      run(COMMAND_TIMEOUT, "chroot", dir.toString(), "git", "config", "--system", "--add", "safe.directory", "*");
      deleteChildren(dir.resolve("var/cache/apt/archives"), ".deb");
      deleteChildren(dir.resolve("var/lib/apt/lists"), "");
      importRootfs(dir);
      LOG.info("built base image {} in {} s", tag, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    } catch (final IOException e) {
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "building base image " + tag + " failed: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  private void importRootfs(final Path dir) throws IOException {
    final Process tar = new ProcessBuilder("tar", "-C", dir.toString(), "-c", ".")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (InputStream stream = tar.getInputStream()) {
      runtime.importImage(tag, stream);
    } finally {
      tar.destroy();
    }
  }

  /** Runs a host command, its output in a temporary log whose tail goes into the failure. */
  private static void run(final Duration timeout, final String... command) throws IOException {
    final Path log = Files.createTempFile("r2e-base-build", ".log");
    try {
      final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      final boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (final InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + command[0], e);
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException(command[0] + " took longer than " + timeout + "; log tail:\n" + tail(log));
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + "; log tail:\n" + tail(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String tail(final Path log) throws IOException {
    final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static void deleteChildren(final Path dir, final String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (final Path child : children.toList()) {
        if (Files.isRegularFile(child) && child.getFileName().toString().endsWith(suffix)) {
          Files.delete(child);
        }
      }
    }
  }

  private static void deleteTree(final Path dir) {
    // debootstrap mounts /proc and /sys inside the target while it runs and may leave them mounted when it fails;
    // --one-file-system keeps the deletion out of them.
    try {
      run(COMMAND_TIMEOUT, "rm", "-rf", "--one-file-system", dir.toString());
    } catch (final IOException e) {
      LOG.warn("could not delete the temporary rootfs {}: {}", dir, e.getMessage());
    }
  }
}
