package io.r2estream.runtime.images;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.runtime.DockerContainerRuntime;
import org.junit.jupiter.api.Test;

class JavaRouteOnceIT {
  @Test
  void build() {
    try (var rt = new DockerContainerRuntime("java-route-check")) {
      final long t = System.nanoTime();
      new PythonBaseImage(rt, "r2e-base/python:java-check").ensure();
      System.out.println("JAVA-ROUTE-SECONDS " + (System.nanoTime() - t) / 1e9);
      assertTrue(rt.imageExists("r2e-base/python:java-check"));
    }
  }
}
