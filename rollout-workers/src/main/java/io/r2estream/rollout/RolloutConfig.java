package io.r2estream.rollout;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the rollout workers ({@code r2e.rollout.*}).
 *
 * @param enabled      run rollout workers in this process (they need a Docker engine)
 * @param concurrency  rollouts one worker process runs at once
 * @param groupId      consumer group of the workers; members share the requests' partitions
 * @param taskWait     how long a request waits for its task to appear on the task topic
 */
public record RolloutConfig(boolean enabled, int concurrency, String groupId, Duration taskWait) {

  static final String PREFIX = "r2e.rollout.";
  public static final String ENABLED_CONFIG = PREFIX + "enabled";
  public static final String CONCURRENCY_CONFIG = PREFIX + "concurrency";
  public static final String GROUP_ID_CONFIG = PREFIX + "group-id";
  public static final String TASK_WAIT_CONFIG = PREFIX + "task-wait-seconds";

  public RolloutConfig {
    if (concurrency < 1) {
      throw new IllegalArgumentException(CONCURRENCY_CONFIG + " must be at least 1, got " + concurrency);
    }
  }

  public static RolloutConfig from(final Map<String, ?> props) {
    return new RolloutConfig(Boolean.parseBoolean(get(props, ENABLED_CONFIG, "true")),
        Integer.parseInt(get(props, CONCURRENCY_CONFIG, "2")), get(props, GROUP_ID_CONFIG, "r2e-rollout"),
        Duration.ofSeconds(Long.parseLong(get(props, TASK_WAIT_CONFIG, "60"))));
  }

  private static String get(final Map<String, ?> props, final String key, final String fallback) {
    final Object v = props.get(key);
    return v == null ? fallback : String.valueOf(v);
  }
}
