package io.r2estream.runtime;

import java.util.Map;

/**
 * How to start a container. {@code network} false (the default for everything but image builds) means no
 * network interface besides loopback. Labels are added to the platform's own.
 */
public record ContainerSpec(String image, String namePrefix, String workdir, Map<String, String> env,
    Map<String, String> labels, ResourceLimits limits, boolean network) {

  public ContainerSpec {
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
  }

  /** No network, default limits, workdir /testbed. */
  public static ContainerSpec of(final String image, final String namePrefix) {
    return new ContainerSpec(image, namePrefix, "/testbed", Map.of(), Map.of(), ResourceLimits.defaults(), false);
  }

  public ContainerSpec withLabels(final Map<String, String> more) {
    final var all = new java.util.HashMap<>(labels);
    all.putAll(more);
    return new ContainerSpec(image, namePrefix, workdir, env, all, limits, network);
  }

  public ContainerSpec withLimits(final ResourceLimits l) {
    return new ContainerSpec(image, namePrefix, workdir, env, labels, l, network);
  }

  public ContainerSpec withEnv(final Map<String, String> e) {
    return new ContainerSpec(image, namePrefix, workdir, e, labels, limits, network);
  }
}
