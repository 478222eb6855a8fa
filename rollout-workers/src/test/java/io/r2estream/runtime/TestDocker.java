package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.r2estream.runtime.images.PythonBaseImage;

/**
 * The real Docker engine for the runtime's tests: a runtime per owner, the Python base image (built once per JVM
 * when missing, shared by every test class) and a raw docker-java client to inspect what the runtime did. An
 * unreachable engine fails the test with the reason; it is never skipped.
 */
final class TestDocker {
  private static String baseImage;

  private TestDocker() {
  }

  static DockerContainerRuntime runtime(final String owner) {
    try {
      return new DockerContainerRuntime(owner);
    } catch (final RuntimeFailure e) {
      return fail("these tests need a running Docker engine at " + DockerContainerRuntime.dockerHostFromEnvironment()
          + " (./test starts dockerd when it is installed): " + e.getMessage(), e);
    }
  }

  /** The base image's tag, ensured once per JVM. */
  static synchronized String baseImage() {
    if (baseImage == null) {
      try (var runtime = runtime("test-base-image")) {
        baseImage = new PythonBaseImage(runtime).ensure();
      }
    }
    return baseImage;
  }

  /** A raw engine client for assertions on what the runtime created; close it after use. */
  static DockerClient inspector() {
    final var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(DockerContainerRuntime.dockerHostFromEnvironment()).build();
    return DockerClientImpl.getInstance(config,
        new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  /** A unique owner label per test class run, so parallel or repeated runs do not see each other's containers. */
  static String owner(final String what) {
    return "test-" + what + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
  }
}
