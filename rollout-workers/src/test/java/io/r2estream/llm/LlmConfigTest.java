package io.r2estream.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmConfigTest {

  @Test
  void nothingConfiguredIsANormalState() {
    final LlmConfig c = LlmConfig.from(Map.of(), Map.of());

    assertFalse(c.configured());
    assertEquals(LlmConfig.DEFAULT_MODEL, c.model());
    assertEquals(LlmConfig.DEFAULT_MAX_CONCURRENCY, c.maxConcurrency());
    assertThrows(IllegalArgumentException.class, () -> new LlmClient(c));
  }

  @Test
  void configWinsOverEnvironmentAndOpenAiKeyIsTheLastFallback() {
    final Map<String, String> env = Map.of(LlmConfig.ENV_BASE_URL, "http://env:8000/v1/", LlmConfig.ENV_MODEL,
        "env-model", LlmConfig.ENV_OPENAI_API_KEY, "sk-openai");

    final LlmConfig fromEnv = LlmConfig.from(Map.of(), env);
    final LlmConfig fromConfig = LlmConfig.from(Map.of(ConfigKeys.LLM_BASE_URL, "http://cfg/v1",
        ConfigKeys.LLM_MODEL, "cfg-model", ConfigKeys.LLM_API_KEY, " ", ConfigKeys.LLM_MAX_RETRIES, "7",
        ConfigKeys.LLM_REQUEST_TIMEOUT_MS, "1500", ConfigKeys.LLM_MAX_CONCURRENCY, "3"),
        Map.of(LlmConfig.ENV_API_KEY, "sk-r2e", LlmConfig.ENV_OPENAI_API_KEY, "sk-openai"));

    assertEquals("http://env:8000/v1", fromEnv.baseUrl());
    assertEquals("http://env:8000/v1/chat/completions", fromEnv.chatCompletionsUrl());
    assertEquals("env-model", fromEnv.model());
    assertEquals("sk-openai", fromEnv.apiKey());
    assertEquals("http://cfg/v1", fromConfig.baseUrl());
    assertEquals("cfg-model", fromConfig.model());
    assertEquals("sk-r2e", fromConfig.apiKey(), "a blank key in config falls back to R2E_LLM_API_KEY first");
    assertEquals(7, fromConfig.maxRetries());
    assertEquals(Duration.ofMillis(1500), fromConfig.requestTimeout());
    assertEquals(3, fromConfig.maxConcurrency());
    assertFalse(fromConfig.toString().contains("sk-r2e"));
    assertTrue(fromConfig.toString().contains("apiKey=***"));
  }

  @Test
  void badNumbersNameTheKeyAndValue() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LlmConfig.from(Map.of(ConfigKeys.LLM_MAX_RETRIES, "many"), Map.of()));

    assertEquals(ConfigKeys.LLM_MAX_RETRIES + " must be a whole number, got 'many'", e.getMessage());
  }

  @Test
  void retryAfterAcceptsSecondsAndDates() {
    assertEquals(Duration.ofSeconds(3), LlmClient.parseRetryAfter(" 3 ").orElseThrow());
    assertEquals(Duration.ZERO, LlmClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").orElseThrow());
    assertTrue(LlmClient.parseRetryAfter("soon").isEmpty());
  }
}
