package io.r2estream.testgen;

import java.util.Map;

/**
 * Settings of the testing-agent workers ({@code r2e.testgen.*}).
 *
 * @param enabled     run testing-agent workers in this process (they need a Docker engine and an LLM endpoint)
 * @param samples     test patches written per task (testgen ids {@code <task>/testgen/0..samples-1})
 * @param concurrency tasks one worker process works on at once
 * @param groupId     consumer group of the workers on the task topic
 * @param model       the model the testing agent asks; "" for the configured LLM model ({@code r2e.llm.model})
 * @param maxSteps    the agent's advised step count (the hard stop is 10 more)
 */
public record TestGenConfig(boolean enabled, int samples, int concurrency, String groupId, String model,
    int maxSteps) {

  static final String PREFIX = "r2e.testgen.";
  public static final String ENABLED_CONFIG = PREFIX + "enabled";
  public static final String SAMPLES_CONFIG = PREFIX + "samples";
  public static final String CONCURRENCY_CONFIG = PREFIX + "concurrency";
  public static final String GROUP_ID_CONFIG = PREFIX + "group-id";
  public static final String MODEL_CONFIG = PREFIX + "model";
  public static final String MAX_STEPS_CONFIG = PREFIX + "max-steps";

  public TestGenConfig {
    if (samples < 1) {
      throw new IllegalArgumentException(SAMPLES_CONFIG + " must be at least 1, got " + samples);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException(CONCURRENCY_CONFIG + " must be at least 1, got " + concurrency);
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException(MAX_STEPS_CONFIG + " must be at least 1, got " + maxSteps);
    }
  }

  public static TestGenConfig from(final Map<String, ?> props) {
    return new TestGenConfig(Boolean.parseBoolean(get(props, ENABLED_CONFIG, "true")),
        Integer.parseInt(get(props, SAMPLES_CONFIG, "2")), Integer.parseInt(get(props, CONCURRENCY_CONFIG, "1")),
        get(props, GROUP_ID_CONFIG, "r2e-testgen"), get(props, MODEL_CONFIG, ""),
        Integer.parseInt(get(props, MAX_STEPS_CONFIG, "30")));
  }

  /** The testgen id of sample {@code i} of a task: deterministic, so a redone job replaces rather than adds. */
  public static String testgenId(final String taskId, final int i) {
    return taskId + "/testgen/" + i;
  }

  private static String get(final Map<String, ?> props, final String key, final String fallback) {
    final Object v = props.get(key);
    return v == null ? fallback : String.valueOf(v);
  }
}
