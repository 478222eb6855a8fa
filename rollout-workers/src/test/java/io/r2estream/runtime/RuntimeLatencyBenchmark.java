package io.r2estream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures, on the local engine: the round trip of {@code true} through {@link DockerContainerRuntime#exec} next to
 * the {@code docker exec} CLI in the same container (median of 20 after warm-up), container start plus remove,
 * and the writable layer of an idle container. Not a test: run by hand (see the report in the runtime's PR).
 */
public final class RuntimeLatencyBenchmark {
  private static final int ROUNDS = 20;

  private RuntimeLatencyBenchmark() {
  }

  public static void main(final String[] args) throws Exception {
    try (var runtime = new DockerContainerRuntime("latency-benchmark")) {
      final String image = new io.r2estream.runtime.images.PythonBaseImage(runtime).ensure();
      final var c = runtime.start(ContainerSpec.of(image, "latency"));
      try {
        for (int i = 0; i < 5; i++) {
          runtime.exec(c, ExecRequest.of("true", Duration.ofSeconds(10)));
          cli(c);
        }
        final List<Double> ours = new ArrayList<>();
        final List<Double> cli = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
          long t = System.nanoTime();
          final var r = runtime.exec(c, ExecRequest.of("true", Duration.ofSeconds(10)));
          ours.add((System.nanoTime() - t) / 1e6);
          if (!r.ok()) {
            throw new IllegalStateException("true failed: " + r);
          }
          t = System.nanoTime();
          cli(c);
          cli.add((System.nanoTime() - t) / 1e6);
        }
        System.out.printf("exec true, median of %d: runtime %.1f ms, docker exec CLI %.1f ms%n", ROUNDS,
            median(ours), median(cli));
        System.out.printf("idle container writable layer: %d bytes%n", runtime.writableLayerBytes(c));
      } finally {
        runtime.remove(c);
      }
      final List<Double> startRemove = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        final long t = System.nanoTime();
        runtime.remove(runtime.start(ContainerSpec.of(image, "latency")));
        startRemove.add((System.nanoTime() - t) / 1e6);
      }
      System.out.printf("start + remove, median of 10: %.0f ms%n", median(startRemove));
    }
  }

  private static void cli(final Container c) throws Exception {
    final Process p = new ProcessBuilder("docker", "exec", c.id(), "true").inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("docker exec true failed");
    }
  }

  private static double median(final List<Double> values) {
    final var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
