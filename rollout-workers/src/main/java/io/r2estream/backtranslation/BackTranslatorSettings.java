package io.r2estream.backtranslation;

import io.r2estream.config.ConfigKeys;
import io.r2estream.config.KafkaClientConfig;
import io.r2estream.llm.LlmConfig;
import java.util.Map;

/**
 * Configuration of a {@link BackTranslator}, read from a flat map of {@link ConfigKeys} (the platform's
 * configuration); the LLM part falls back to environment variables as {@link LlmConfig} describes.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl      schema registry URL ({@code http(s)://} or {@code mock://scope})
 * @param groupId          consumer group of the workers
 * @param maxPollRecords   validations per poll; one poll is one batch processed in parallel
 * @param maxTokens        completion budget per call
 * @param temperature      sampling temperature; null = the server's default
 * @param llm              where to call the LLM; not configured = statements are commit messages
 * @param kafkaClient      client properties of its consumer and producer: bootstrap servers plus the
 *                         {@code r2e.kafka.client.*} settings, see {@link KafkaClientConfig}
 */
public record BackTranslatorSettings(String bootstrapServers, String registryUrl, String groupId, int maxPollRecords,
    int maxTokens, Double temperature, LlmConfig llm, Map<String, Object> kafkaClient) {

  public static final String DEFAULT_GROUP_ID = "r2e-backtranslator";
  public static final int DEFAULT_MAX_POLL_RECORDS = 16;
  /** R2E-Gym's {@code max_completion_tokens} for o1-mini. */
  public static final int DEFAULT_MAX_TOKENS = 12000;

  public BackTranslatorSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + " is required by the back-translator");
    }
    if (registryUrl == null || registryUrl.isBlank()) {
      throw new IllegalArgumentException(ConfigKeys.REGISTRY_URL + " is required by the back-translator");
    }
    if (maxPollRecords < 1 || maxTokens < 1) {
      throw new IllegalArgumentException("back-translator max poll records and max tokens must be >= 1, got "
          + maxPollRecords + " and " + maxTokens);
    }
  }

  public static BackTranslatorSettings from(final Map<String, String> config) {
    return from(config, System.getenv());
  }

  public static BackTranslatorSettings from(final Map<String, String> config, final Map<String, String> env) {
    final String temperature = config.get(ConfigKeys.BACKTRANSLATION_TEMPERATURE);
    final String bootstrap = config.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    return new BackTranslatorSettings(bootstrap,
        config.get(ConfigKeys.REGISTRY_URL),
        config.getOrDefault(ConfigKeys.BACKTRANSLATION_GROUP_ID, DEFAULT_GROUP_ID),
        integer(config, ConfigKeys.BACKTRANSLATION_MAX_POLL_RECORDS, DEFAULT_MAX_POLL_RECORDS),
        integer(config, ConfigKeys.BACKTRANSLATION_MAX_TOKENS, DEFAULT_MAX_TOKENS),
        temperature == null || temperature.isBlank() ? null : number(ConfigKeys.BACKTRANSLATION_TEMPERATURE,
            temperature),
        LlmConfig.from(config, env),
        bootstrap == null || bootstrap.isBlank() ? Map.of() : KafkaClientConfig.of(bootstrap, config, env));
  }

  /** Never shows secrets: the LLM key is masked by {@link LlmConfig}, client security settings here. */
  @Override
  public String toString() {
    return "BackTranslatorSettings[bootstrapServers=" + bootstrapServers + ", registryUrl=" + registryUrl
        + ", groupId=" + groupId + ", maxPollRecords=" + maxPollRecords + ", maxTokens=" + maxTokens
        + ", temperature=" + temperature + ", llm=" + llm + ", kafkaClient=" + KafkaClientConfig.masked(kafkaClient)
        + "]";
  }

  private static int integer(final Map<String, String> config, final String key, final int fallback) {
    final String v = config.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
    }
  }

  private static double number(final String key, final String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + value + "'", e);
    }
  }
}
