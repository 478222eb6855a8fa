package io.r2estream.verifier.judge;

import io.r2estream.config.ConfigKeys;
import io.r2estream.llm.LlmConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the execution-free verifier ({@code r2e.judge.*}). The judge's endpoint defaults to the platform's
 * LLM ({@code r2e.llm.*}, see {@link LlmConfig}); base URL, model and API key can point elsewhere, the client's
 * timeouts and retries are the platform's.
 *
 * @param enabled          run judge workers in this process (they start only when an endpoint is configured)
 * @param concurrency      trajectories one worker judges at once (also its client's requests in flight)
 * @param groupId          consumer group of the judge workers
 * @param llm              the judge's endpoint and model
 * @param maxContextTokens the judge model's context length, which the condensation fits the message into
 * @param maxTokens        completion budget of a judge call ({@code max_completion_tokens})
 */
public record JudgeConfig(boolean enabled, int concurrency, String groupId, LlmConfig llm, int maxContextTokens,
    int maxTokens) {

  static final String PREFIX = "r2e.judge.";
  public static final String ENABLED_CONFIG = PREFIX + "enabled";
  public static final String CONCURRENCY_CONFIG = PREFIX + "concurrency";
  public static final String GROUP_ID_CONFIG = PREFIX + "group-id";
  public static final String BASE_URL_CONFIG = PREFIX + "base-url";
  public static final String MODEL_CONFIG = PREFIX + "model";
  public static final String API_KEY_CONFIG = PREFIX + "api-key";
  public static final String MAX_CONTEXT_TOKENS_CONFIG = PREFIX + "max-context-tokens";
  public static final String MAX_TOKENS_CONFIG = PREFIX + "max-tokens";

  public static final int DEFAULT_CONCURRENCY = 4;
  public static final String DEFAULT_GROUP_ID = "r2e-judge";
  /** Room for the verdict, and for a short preamble of models that do not answer with the tag first. */
  public static final int DEFAULT_MAX_TOKENS = 512;

  public JudgeConfig {
    if (concurrency < 1) {
      throw new IllegalArgumentException(CONCURRENCY_CONFIG + " must be at least 1, got " + concurrency);
    }
    if (maxContextTokens < 1) {
      throw new IllegalArgumentException(MAX_CONTEXT_TOKENS_CONFIG + " must be at least 1, got "
          + maxContextTokens);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException(MAX_TOKENS_CONFIG + " must be at least 1, got " + maxTokens);
    }
    llm = llm.withMaxConcurrency(concurrency);
  }

  /** Reads the settings with the process environment as the LLM's fallback. */
  public static JudgeConfig from(final Map<String, ?> props) {
    return from(props, System.getenv());
  }

  /** Reads the settings; {@code env} is the fallback of the endpoint as in {@link LlmConfig#from(Map, Map)}. */
  public static JudgeConfig from(final Map<String, ?> props, final Map<String, String> env) {
    final Map<String, String> llm = new HashMap<>();
    props.forEach((k, v) -> llm.put(k, v == null ? null : String.valueOf(v)));
    override(llm, BASE_URL_CONFIG, ConfigKeys.LLM_BASE_URL);
    override(llm, MODEL_CONFIG, ConfigKeys.LLM_MODEL);
    override(llm, API_KEY_CONFIG, ConfigKeys.LLM_API_KEY);
    return new JudgeConfig(Boolean.parseBoolean(get(props, ENABLED_CONFIG, "true")),
        integer(props, CONCURRENCY_CONFIG, DEFAULT_CONCURRENCY), get(props, GROUP_ID_CONFIG, DEFAULT_GROUP_ID),
        LlmConfig.from(llm, env), integer(props, MAX_CONTEXT_TOKENS_CONFIG, JudgeInput.DEFAULT_MAX_CONTEXT_TOKENS),
        integer(props, MAX_TOKENS_CONFIG, DEFAULT_MAX_TOKENS));
  }

  private static void override(final Map<String, String> llm, final String judgeKey, final String llmKey) {
    final String v = llm.get(judgeKey);
    if (v != null && !v.isBlank()) {
      llm.put(llmKey, v);
    }
  }

  private static String get(final Map<String, ?> props, final String key, final String fallback) {
    final Object v = props.get(key);
    return v == null || String.valueOf(v).isBlank() ? fallback : String.valueOf(v).trim();
  }

  private static int integer(final Map<String, ?> props, final String key, final int fallback) {
    final String v = get(props, key, Integer.toString(fallback));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
    }
  }
}
