package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.runtime.images.PythonBaseImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The base image holds what environment images and the runtime rely on, and ensure() never rebuilds it. */
class PythonBaseImageIT {

  @Test
  void holdsPythonPytestGitWithIdentityAndPatchAndIsNotRebuilt() throws Exception {
    final String image = TestDocker.baseImage();
    assertEquals(PythonBaseImage.DEFAULT_TAG, image);
    try (var runtime = TestDocker.runtime(TestDocker.owner("base-image")); var docker = TestDocker.inspector()) {
      final String id = docker.inspectImageCmd(image).exec().getId();
      final long started = System.nanoTime();
      assertEquals(image, new PythonBaseImage(runtime).ensure());
      assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
      assertEquals(id, docker.inspectImageCmd(image).exec().getId(), "ensure() did not rebuild the image");

      final var c = runtime.start(ContainerSpec.of(image, "base-image-it"));
      try {
        runtime.copyIn(c, "/testbed", Map.of("test_sample.py",
            "def test_ok():\n    assert 1 + 1 == 2\n\ndef test_bad():\n    assert 1 + 1 == 3\n"
                .getBytes(StandardCharsets.UTF_8)));
        final var pytest = runtime.exec(c, ExecRequest.of("python3 -m pytest -q -p no:cacheprovider test_sample.py",
            Duration.ofSeconds(60)));
        assertEquals(1, pytest.exitCode(), pytest.output());
        assertTrue(pytest.output().contains("1 failed, 1 passed"), pytest.output());

        final var tools = runtime.exec(c, ExecRequest.of("python3 -W ignore -c 'import setuptools, wheel, venv, pip' && "
            + "python3 -m venv --without-pip /tmp/venv && /tmp/venv/bin/python -c pass && "
            + "patch --version | head -1 && git config --get user.email && git config --get user.name && "
            + "test -s /etc/ssl/certs/ca-certificates.crt && echo certs", Duration.ofSeconds(30)));
        assertTrue(tools.ok(), tools.output());
        assertEquals("GNU patch 2.7.6\nr2e@r2estream.local\nr2e-stream\ncerts\n", tools.output());
        final var commit = runtime.exec(c, ExecRequest.of("git init -q && git add -A && git commit -qm first "
            + "&& git log --format=%an", Duration.ofSeconds(30)));
        assertEquals("r2e-stream\n", commit.output());
      } finally {
        runtime.remove(c);
      }
    }
  }
}
