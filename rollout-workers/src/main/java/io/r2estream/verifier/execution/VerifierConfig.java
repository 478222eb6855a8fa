package io.r2estream.verifier.execution;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the execution-based verifier workers ({@code r2e.verifier.eb.*}).
 *
 * @param enabled             run execution-based verifier workers in this process (they need a Docker engine)
 * @param concurrency         candidates one worker process scores at once
 * @param groupId             consumer group of the workers on the candidate topic
 * @param taskWait            how long a candidate waits for its task to appear on the task topic
 * @param testgenWait         how long a candidate waits for its task's {@code r2e.testgen.samples} test patches
 *                            before it is scored with those that exist
 * @param reproductionTimeout time limit of one reproduction test, or null for the recipe's test time limit
 */
public record VerifierConfig(boolean enabled, int concurrency, String groupId, Duration taskWait,
    Duration testgenWait, Duration reproductionTimeout) {

  static final String PREFIX = "r2e.verifier.eb.";
  public static final String ENABLED_CONFIG = PREFIX + "enabled";
  public static final String CONCURRENCY_CONFIG = PREFIX + "concurrency";
  public static final String GROUP_ID_CONFIG = PREFIX + "group-id";
  public static final String TASK_WAIT_CONFIG = PREFIX + "task-wait-seconds";
  public static final String TESTGEN_WAIT_CONFIG = PREFIX + "testgen-wait-seconds";
  public static final String REPRODUCTION_TIMEOUT_CONFIG = PREFIX + "reproduction-timeout-seconds";

  public VerifierConfig {
    if (concurrency < 1) {
      throw new IllegalArgumentException(CONCURRENCY_CONFIG + " must be at least 1, got " + concurrency);
    }
    if (testgenWait.isNegative()) {
      throw new IllegalArgumentException(TESTGEN_WAIT_CONFIG + " must not be negative, got " + testgenWait);
    }
  }

  public static VerifierConfig from(final Map<String, ?> props) {
    final long repro = Long.parseLong(get(props, REPRODUCTION_TIMEOUT_CONFIG, "0"));
    return new VerifierConfig(Boolean.parseBoolean(get(props, ENABLED_CONFIG, "true")),
        Integer.parseInt(get(props, CONCURRENCY_CONFIG, "1")), get(props, GROUP_ID_CONFIG, "r2e-verifier-eb"),
        Duration.ofSeconds(Long.parseLong(get(props, TASK_WAIT_CONFIG, "60"))),
        Duration.ofSeconds(Long.parseLong(get(props, TESTGEN_WAIT_CONFIG, "600"))),
        repro > 0 ? Duration.ofSeconds(repro) : null);
  }

  private static String get(final Map<String, ?> props, final String key, final String fallback) {
    final Object v = props.get(key);
    return v == null ? fallback : String.valueOf(v);
  }
}
