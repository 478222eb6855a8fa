package io.r2estream.llm;

import io.r2estream.config.ConfigKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how to call an OpenAI-compatible chat API. Read from the platform configuration with environment
 * fallbacks ({@code R2E_LLM_BASE_URL}, {@code R2E_LLM_MODEL}, {@code R2E_LLM_API_KEY} then {@code OPENAI_API_KEY}).
 * "Not configured" (no base URL) is a normal state: stages that can do without an LLM check {@link #configured()}.
 * {@link #toString()} never shows the API key.
 *
 * @param baseUrl         API base without the trailing slash, e.g. {@code http://localhost:8000/v1}; empty = none
 * @param model           model name sent with every request
 * @param apiKey          bearer token; empty = send no Authorization header
 * @param requestTimeout  timeout of one HTTP exchange
 * @param maxRetries      retries after the first attempt
 * @param initialBackoff  first retry wait; doubles per retry
 * @param maxBackoff      ceiling of the computed wait
 * @param maxConcurrency  requests in flight at most per client
 */
public record LlmConfig(String baseUrl, String model, String apiKey, Duration requestTimeout, int maxRetries,
    Duration initialBackoff, Duration maxBackoff, int maxConcurrency) {

  public static final String ENV_BASE_URL = "R2E_LLM_BASE_URL";
  public static final String ENV_MODEL = "R2E_LLM_MODEL";
  public static final String ENV_API_KEY = "R2E_LLM_API_KEY";
  public static final String ENV_OPENAI_API_KEY = "OPENAI_API_KEY";

  public static final String DEFAULT_MODEL = "default";
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_RETRIES = 4;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_CONCURRENCY = 8;
  /** A server's Retry-After is honoured up to this wait; beyond it the client waits this long and tries again. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  public LlmConfig {
    baseUrl = baseUrl == null ? "" : stripTrailingSlashes(baseUrl.trim());
    model = model == null || model.isBlank() ? DEFAULT_MODEL : model.trim();
    apiKey = apiKey == null ? "" : apiKey.trim();
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("LLM request timeout must be positive, got " + requestTimeout);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("LLM max retries must be >= 0, got " + maxRetries);
    }
    if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("LLM backoffs must be >= 0, got " + initialBackoff + " and " + maxBackoff);
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("LLM max concurrency must be >= 1, got " + maxConcurrency);
    }
  }

  /** Reads the configuration with the process environment as fallback. */
  public static LlmConfig from(final Map<String, String> config) {
    return from(config, System.getenv());
  }

  /** Reads the configuration; a key that is absent or blank falls back to {@code env}, then to the default. */
  public static LlmConfig from(final Map<String, String> config, final Map<String, String> env) {
    final String baseUrl = first(config.get(ConfigKeys.LLM_BASE_URL), env.get(ENV_BASE_URL)).orElse("");
    final String model = first(config.get(ConfigKeys.LLM_MODEL), env.get(ENV_MODEL)).orElse(DEFAULT_MODEL);
    final String apiKey = first(config.get(ConfigKeys.LLM_API_KEY), env.get(ENV_API_KEY),
        env.get(ENV_OPENAI_API_KEY)).orElse("");
    return new LlmConfig(baseUrl, model, apiKey,
        millis(config, ConfigKeys.LLM_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT),
        integer(config, ConfigKeys.LLM_MAX_RETRIES, DEFAULT_MAX_RETRIES),
        millis(config, ConfigKeys.LLM_BACKOFF_INITIAL_MS, DEFAULT_INITIAL_BACKOFF),
        millis(config, ConfigKeys.LLM_BACKOFF_MAX_MS, DEFAULT_MAX_BACKOFF),
        integer(config, ConfigKeys.LLM_MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY));
  }

  /** A configuration for {@code baseUrl} with the defaults (tests, CLIs). */
  public static LlmConfig of(final String baseUrl, final String model, final String apiKey) {
    return new LlmConfig(baseUrl, model, apiKey, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES,
        DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_CONCURRENCY);
  }

  /** Whether an LLM endpoint is configured at all. */
  public boolean configured() {
    return !baseUrl.isEmpty();
  }

  /** The chat completions endpoint: {@code <baseUrl>/chat/completions}. */
  public String chatCompletionsUrl() {
    return baseUrl + "/chat/completions";
  }

  public LlmConfig withRequestTimeout(final Duration timeout) {
    return new LlmConfig(baseUrl, model, apiKey, timeout, maxRetries, initialBackoff, maxBackoff, maxConcurrency);
  }

  public LlmConfig withRetries(final int retries, final Duration initial, final Duration max) {
    return new LlmConfig(baseUrl, model, apiKey, requestTimeout, retries, initial, max, maxConcurrency);
  }

  public LlmConfig withMaxConcurrency(final int concurrency) {
    return new LlmConfig(baseUrl, model, apiKey, requestTimeout, maxRetries, initialBackoff, maxBackoff, concurrency);
  }

  @Override
  public String toString() {
    return "LlmConfig[baseUrl=" + (configured() ? baseUrl : "(none)") + ", model=" + model + ", apiKey="
        + (apiKey.isEmpty() ? "(none)" : "***") + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxConcurrency=" + maxConcurrency
        + "]";
  }

  private static Optional<String> first(final String... candidates) {
    for (final String c : candidates) {
      if (c != null && !c.isBlank()) {
        return Optional.of(c.trim());
      }
    }
    return Optional.empty();
  }

  private static Duration millis(final Map<String, String> config, final String key, final Duration fallback) {
    final String v = config.get(key);
    return v == null || v.isBlank() ? fallback : Duration.ofMillis(parse(key, v));
  }

  private static int integer(final Map<String, String> config, final String key, final int fallback) {
    final String v = config.get(key);
    return v == null || v.isBlank() ? fallback : Math.toIntExact(parse(key, v));
  }

  private static long parse(final String key, final String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'", e);
    }
  }

  private static String stripTrailingSlashes(final String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
