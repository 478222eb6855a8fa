package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Image builds FROM the local base image and root filesystem imports, on the real engine. */
class ImagesIT {
  private static final String OWNER = TestDocker.owner("images");
  private static final String TAG_PREFIX = "r2e-test/images-it-" + ProcessHandle.current().pid();
  private static DockerContainerRuntime runtime;
  private static String base;

  @BeforeAll
  static void connect() {
    base = TestDocker.baseImage();
    runtime = TestDocker.runtime(OWNER);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try (var docker = TestDocker.inspector()) {
      for (final String suffix : new String[] {":built", ":broken", ":slow", ":imported"}) {
        try {
          docker.removeImageCmd(TAG_PREFIX + suffix).withForce(true).exec();
        } catch (final NotFoundException e) {
          // This test did not get as far as making it.
        }
      }
    } finally {
      runtime.reapLeaked(OWNER);
      runtime.close();
    }
  }

  @Test
  void buildsFromTheBaseImageWithRunStepsContextFilesAndLabels() throws IOException {
    final String tag = TAG_PREFIX + ":built";
    final String id = runtime.buildImage(new ImageBuild(tag, String.join("\n",
        "FROM " + base,
        "COPY app/hello.py /opt/app/hello.py",
        "RUN python3 -c \"print('built-by-run')\" > /opt/app/run.txt && git --version >> /opt/app/run.txt",
        "WORKDIR /opt/app", ""),
        Map.of("app/hello.py", "print('hello from the context')\n".getBytes(StandardCharsets.UTF_8)),
        Map.of("io.r2estream.test", "images-it"), Duration.ofMinutes(2)));
    assertTrue(id.startsWith("sha256:"), id);
    assertTrue(runtime.imageExists(tag));
    try (var docker = TestDocker.inspector()) {
      final var inspect = docker.inspectImageCmd(tag).exec();
      assertEquals(id, inspect.getId());
      assertEquals("images-it", inspect.getConfig().getLabels().get("io.r2estream.test"));
    }
    final var c = runtime.start(ContainerSpec.of(tag, "images-it"));
    try {
      final var run = runtime.exec(c, ExecRequest.of("cat /opt/app/run.txt; python3 /opt/app/hello.py",
          Duration.ofSeconds(30)));
      assertTrue(run.ok(), run.output());
      assertTrue(run.output().startsWith("built-by-run\ngit version 2."), run.output());
      assertTrue(run.output().endsWith("hello from the context\n"), run.output());
    } finally {
      runtime.remove(c);
    }
  }

  @Test
  void failingRunStepIsAnImageBuildFailureWithTheLogTail() {
    final var failure = assertThrows(RuntimeFailure.class, () -> runtime.buildImage(new ImageBuild(
        TAG_PREFIX + ":broken", "FROM " + base + "\nRUN echo about-to-fail && exit 7\n", Map.of(), Map.of(),
        Duration.ofMinutes(2))));
    assertEquals(FailureKind.IMAGE_BUILD, failure.kind());
    assertTrue(failure.getMessage().contains("about-to-fail"), failure.getMessage());
    assertTrue(failure.getMessage().contains("7"), failure.getMessage());
    assertFalse(runtime.imageExists(TAG_PREFIX + ":broken"));

    final var missingBase = assertThrows(RuntimeFailure.class, () -> runtime.buildImage(new ImageBuild(
        TAG_PREFIX + ":broken", "FROM r2e-test/no-such-base:never\nRUN true\n", Map.of(), Map.of(),
        Duration.ofMinutes(1))));
    assertEquals(FailureKind.IMAGE_BUILD, missingBase.kind());
    assertTrue(missingBase.getMessage().contains("no-such-base"), missingBase.getMessage());
  }

  @Test
  void buildOverItsTimeLimitFailsWithTimeout() {
    final long started = System.nanoTime();
    final var failure = assertThrows(RuntimeFailure.class, () -> runtime.buildImage(new ImageBuild(
        TAG_PREFIX + ":slow", "FROM " + base + "\nRUN echo slow-step && sleep 60\n", Map.of(), Map.of(),
        Duration.ofSeconds(3))));
    assertEquals(FailureKind.TIMEOUT, failure.kind());
    assertTrue(failure.getMessage().contains("slow-step"), failure.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    assertFalse(runtime.imageExists(TAG_PREFIX + ":slow"));
  }

  @Test
  void importsARootFilesystemTar() throws IOException {
    final var tar = new ByteArrayOutputStream();
    try (var out = new TarArchiveOutputStream(tar)) {
      final byte[] body = "imported\n".getBytes(StandardCharsets.UTF_8);
      final var entry = new TarArchiveEntry("etc/r2e-marker");
      entry.setSize(body.length);
      out.putArchiveEntry(entry);
      out.write(body);
      out.closeArchiveEntry();
    }
    final String tag = TAG_PREFIX + ":imported";
    final String id = runtime.importImage(tag, new ByteArrayInputStream(tar.toByteArray()));
    assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
    assertTrue(runtime.imageExists(tag));
    try (var docker = TestDocker.inspector()) {
      final var inspect = docker.inspectImageCmd(tag).exec();
      assertEquals(id, inspect.getId());
      assertEquals(1, inspect.getRootFS().getLayers().size());
      assertTrue(inspect.getSize() >= 9 && inspect.getSize() < 4096, "size " + inspect.getSize());
    }
    final var broken = assertThrows(RuntimeFailure.class, () -> runtime.importImage(TAG_PREFIX + ":imported-broken",
        new ByteArrayInputStream("not a tar at all".getBytes(StandardCharsets.UTF_8))));
    assertEquals(FailureKind.IMAGE_BUILD, broken.kind());
  }
}
