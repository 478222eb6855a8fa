package io.r2estream.envbuilder;

import io.r2estream.runtime.ResourceLimits;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the environment-builder workers ({@code r2e.envbuilder.*}).
 *
 * @param concurrency    validations run at once by one worker process (each uses a container at a time)
 * @param reruns         runs of the hidden tests per state; tests whose status differs between runs are flaky
 * @param ablation       run the relevant-file ablation (one more container per non-test .py file of the patch)
 * @param baseImage      the language base image env images are made from
 * @param repoCacheDir   where repositories given by URL are cloned
 * @param testLimits     limits of validation containers
 * @param buildLimits    limits of env-image build containers (the only ones with network)
 * @param groupId        consumer group of the workers; members share the candidates' partitions
 */
public record EnvBuilderConfig(int concurrency, int reruns, boolean ablation, String baseImage, Path repoCacheDir,
    ResourceLimits testLimits, ResourceLimits buildLimits, String groupId) {

  static final String PREFIX = "r2e.envbuilder.";
  /** Run environment builders in this process (they need a Docker engine). */
  public static final String ENABLED_CONFIG = PREFIX + "enabled";
  public static final String CONCURRENCY_CONFIG = PREFIX + "concurrency";
  public static final String RERUNS_CONFIG = PREFIX + "reruns";
  public static final String ABLATION_CONFIG = PREFIX + "relevant-file-ablation";
  public static final String BASE_IMAGE_CONFIG = PREFIX + "base-image";
  public static final String REPO_CACHE_DIR_CONFIG = PREFIX + "repo-cache-dir";
  public static final String CPUS_CONFIG = PREFIX + "container.cpus";
  public static final String MEMORY_MB_CONFIG = PREFIX + "container.memory-mb";
  public static final String PIDS_CONFIG = PREFIX + "container.pids";
  public static final String GROUP_ID_CONFIG = PREFIX + "group-id";


  public EnvBuilderConfig {
    if (concurrency < 1) {
      throw new IllegalArgumentException(CONCURRENCY_CONFIG + " must be at least 1, got " + concurrency);
    }
    if (reruns < 1) {
      throw new IllegalArgumentException(RERUNS_CONFIG + " must be at least 1, got " + reruns);
    }
  }

  /** Whether the given configuration asks for env builders in this process (default yes). */
  public static boolean enabled(final Map<String, ?> props) {
    final Object v = props.get(ENABLED_CONFIG);
    return v == null || Boolean.parseBoolean(String.valueOf(v));
  }

  /** Defaults overridden by the given keys; {@code dataDir} holds the repository cache by default. */
  public static EnvBuilderConfig from(final Map<String, String> props, final Path dataDir) {
    final ResourceLimits d = ResourceLimits.defaults();
    final ResourceLimits test = new ResourceLimits(
        Double.parseDouble(props.getOrDefault(CPUS_CONFIG, String.valueOf(d.cpus()))),
        Long.parseLong(props.getOrDefault(MEMORY_MB_CONFIG, String.valueOf(d.memoryBytes() >> 20))) << 20,
        Long.parseLong(props.getOrDefault(PIDS_CONFIG, String.valueOf(d.pids()))));
    return new EnvBuilderConfig(
        Integer.parseInt(props.getOrDefault(CONCURRENCY_CONFIG, "1")),
        Integer.parseInt(props.getOrDefault(RERUNS_CONFIG, "3")),
        Boolean.parseBoolean(props.getOrDefault(ABLATION_CONFIG, "false")),
        props.getOrDefault(BASE_IMAGE_CONFIG, io.r2estream.runtime.images.PythonBaseImage.DEFAULT_TAG),
        Path.of(props.getOrDefault(REPO_CACHE_DIR_CONFIG, dataDir.resolve("repos").toString())),
        test,
        new ResourceLimits(Math.max(test.cpus(), 2.0), Math.max(test.memoryBytes(), 4L << 30), 4096),
        props.getOrDefault(GROUP_ID_CONFIG, "r2e-envbuilder"));
  }
}
